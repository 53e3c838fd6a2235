using System.ClientModel;
using System.ClientModel.Primitives;
using Cassiopeia.Core.Answers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using OpenAI;

namespace Cassiopeia.Infrastructure.Ai.Chat;

public static partial class ChatServices
{
    /// <summary>Registers the singleton <see cref="IChatClient"/> that answers questions, chosen by section <c>Chat</c>.</summary>
    public static IServiceCollection AddChat(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ChatModelOptions>().Bind(configuration.GetSection(ChatModelOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ChatModelOptions>, ChatOptionsValidator>();
        services.AddSingleton(sp => Create(sp.GetRequiredService<IOptions<ChatModelOptions>>().Value, sp.GetRequiredService<ILoggerFactory>()));
        return services;
    }

    public static IChatClient Create(ChatModelOptions options, ILoggerFactory loggers)
    {
        var logger = loggers.CreateLogger(typeof(ChatServices));
        if (!options.UsesOpenAi)
        {
            LogChoice(logger, ChatProvider.Extractive, ExtractiveChatClient.ModelId, "built in", options.Provider == ChatProvider.Auto ? "auto: no Chat:Endpoint and Chat:Model" : "Chat:Provider is Extractive");
            return new ExtractiveChatClient();
        }

        var key = options.ApiKey is { Length: > 0 } k ? k
            : options.ApiKeyFile is { Length: > 0 } file ? File.ReadAllText(file).Trim()
            : null;
        var clientOptions = new OpenAIClientOptions
        {
            Endpoint = options.Endpoint,

            // Retries and timeouts are ResilientChatClient's; the SDK's own would multiply them.
            RetryPolicy = new ClientRetryPolicy(0),
            NetworkTimeout = options.Deadline,
        };

        // Servers without authentication still get a (meaningless) bearer token: the SDK requires one.
        var credential = new ApiKeyCredential(string.IsNullOrWhiteSpace(key) ? "none" : key);
        var inner = new OpenAIClient(credential, clientOptions).GetChatClient(options.Model).AsIChatClient();
        var endpoint = options.Endpoint!.GetLeftPart(UriPartial.Path);
        LogChoice(logger, ChatProvider.OpenAi, options.Model!, endpoint, options.Provider == ChatProvider.Auto ? "auto: Chat:Endpoint and Chat:Model are set" : "Chat:Provider is OpenAi");
        return new ResilientChatClient(inner, options, loggers.CreateLogger<ResilientChatClient>());
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answers: {Provider} model {Model} at {Endpoint}; {Reason}")]
    private static partial void LogChoice(ILogger logger, ChatProvider provider, string model, string endpoint, string reason);
}
