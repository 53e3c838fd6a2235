using Cassiopeia.Core.Answers;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Ai.Chat;

/// <summary>Fails start-up when the OpenAI-compatible generator is chosen (or half configured) without what it needs.</summary>
public sealed class ChatOptionsValidator : IValidateOptions<ChatModelOptions>
{
    public ValidateOptionsResult Validate(string? name, ChatModelOptions options)
    {
        var failures = new List<string>();
        if (options.Provider == ChatProvider.Auto && (options.Endpoint is null) != string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add("Chat:Endpoint and Chat:Model go together: set both to answer through an OpenAI-compatible endpoint, or neither for the extractive generator.");
        }

        if (options.UsesOpenAi)
        {
            if (options.Endpoint is not { IsAbsoluteUri: true, Scheme: "http" or "https" })
            {
                failures.Add("Chat:Endpoint must be an absolute http(s) address such as https://api.openai.com/v1 or http://localhost:11434/v1.");
            }

            if (string.IsNullOrWhiteSpace(options.Model))
            {
                failures.Add("Chat:Model is required for the OpenAi provider.");
            }

            if (options.ApiKeyFile is { Length: > 0 } file && !File.Exists(file))
            {
                failures.Add($"Chat:ApiKeyFile {file} does not exist.");
            }
            else if (string.IsNullOrWhiteSpace(options.ApiKey) && string.IsNullOrWhiteSpace(options.ApiKeyFile)
                && options.Endpoint is { IsAbsoluteUri: true } endpoint && endpoint.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase))
            {
                failures.Add("Chat:ApiKey (environment Chat__ApiKey) or Chat:ApiKeyFile is required for api.openai.com.");
            }
        }

        if (options.Deadline < options.Timeout)
        {
            failures.Add("Chat:Deadline must be at least Chat:Timeout.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
