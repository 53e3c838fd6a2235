using Cassiopeia.Core.Ingestion;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

public static partial class EmbeddingServices
{
    /// <summary>Longest input of the static embedders, in words; longer chunks only dilute an average.</summary>
    public const int StaticMaxInputTokens = 512;

    /// <summary>Registers the singleton <see cref="EmbeddingModel"/> (and its generator) chosen by section <c>Embeddings</c>.</summary>
    public static IServiceCollection AddEmbeddings(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DataDirectoryOptions>().Bind(configuration.GetSection(DataDirectoryOptions.SectionName));
        services.AddOptions<EmbeddingOptions>().Bind(configuration.GetSection(EmbeddingOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<EmbeddingOptions>, EmbeddingOptionsValidator>();
        services.AddSingleton(sp => CreateModel(
            sp.GetRequiredService<IOptions<EmbeddingOptions>>().Value,
            sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value,
            sp.GetRequiredService<ILogger<EmbeddingModel>>()));
        // Registered on its own so that the container disposes it (the ONNX session) at shutdown.
        services.AddSingleton(sp => sp.GetRequiredService<EmbeddingModel>().Generator);
        return services;
    }

    public static string GloveFile(EmbeddingOptions options, DataDirectoryOptions data) =>
        options.GloveFile is { Length: > 0 } file ? Path.GetFullPath(file) : data.Resolve("models", "glove-100d.bin");

    public static EmbeddingModel CreateModel(EmbeddingOptions options, DataDirectoryOptions data, ILogger logger)
    {
        var choice = EmbeddingProviderChoice.Resolve(options, GloveFile(options, data));
        var model = choice.Provider switch
        {
            EmbeddingProvider.Onnx => Onnx(options, choice),
            EmbeddingProvider.Glove => Glove(options, choice.GloveFile),
            EmbeddingProvider.OpenAi => OpenAi(options),
            _ => Lexical(options),
        };
        LogChoice(logger, choice.Provider, model.Id, model.Dimensions, choice.Reason);
        return model;
    }

    private static EmbeddingModel Onnx(EmbeddingOptions options, EmbeddingProviderChoice choice)
    {
        var files = choice.OnnxFiles ?? throw new InvalidOperationException("Embeddings:OnnxModelDirectory holds no usable model.");
        var name = options.OnnxModelName is { Length: > 0 } n ? n : new DirectoryInfo(options.OnnxModelDirectory!).Name;
        var generator = OnnxEmbeddingGenerator.Create(files, $"onnx:{name}", options.BatchSize);
        return new EmbeddingModel(generator.ModelId, generator.Dimensions, generator.MaxTokens, generator, generator, IsSemantic: true);
    }

    private static EmbeddingModel Glove(EmbeddingOptions options, string file)
    {
        var generator = new GloveEmbeddingGenerator(GloveVectors.Load(file), batchSize: options.BatchSize);
        return new EmbeddingModel(generator.ModelId, generator.Dimensions, StaticMaxInputTokens, WordTokenCounter.Instance, generator, IsSemantic: true);
    }

    private static EmbeddingModel OpenAi(EmbeddingOptions options)
    {
        var key = options.ApiKey is { Length: > 0 } k ? k
            : options.ApiKeyFile is { Length: > 0 } file ? File.ReadAllText(file).Trim()
            : null;
        var generator = new OpenAiEmbeddingGenerator(options.Endpoint, key, options.Model, options.Dimensions, options.SendDimensions, options.MaxRetries, options.BatchSize);
        // OpenAI's embedding models take 8191 tokens; other models behind compatible servers often 512.
        var maxTokens = options.Model.StartsWith("text-embedding-", StringComparison.Ordinal) ? 8191 : 512;
        return new EmbeddingModel(generator.ModelId, generator.Dimensions, maxTokens, TiktokenCounter.For(options.Model), generator, IsSemantic: true);
    }

    private static EmbeddingModel Lexical(EmbeddingOptions options)
    {
        var generator = new LexicalEmbeddingGenerator(options.LexicalDimensions, options.BatchSize);
        return new EmbeddingModel(generator.ModelId, generator.Dimensions, StaticMaxInputTokens, WordTokenCounter.Instance, generator, IsSemantic: false);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Embeddings: {Provider} model {ModelId} ({Dimensions} dimensions); {Reason}")]
    private static partial void LogChoice(ILogger logger, EmbeddingProvider provider, string modelId, int dimensions, string reason);
}
