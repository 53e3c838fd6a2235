using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>Fails start-up when an explicitly chosen provider lacks its files or settings.</summary>
public sealed class EmbeddingOptionsValidator(IOptions<DataDirectoryOptions> data) : IValidateOptions<EmbeddingOptions>
{
    public ValidateOptionsResult Validate(string? name, EmbeddingOptions options)
    {
        var failures = new List<string>();
        switch (options.Provider)
        {
            case EmbeddingProvider.Onnx when string.IsNullOrWhiteSpace(options.OnnxModelDirectory):
                failures.Add("Embeddings:Provider is Onnx but Embeddings:OnnxModelDirectory is not set (a folder with model.onnx and vocab.txt; see docs/embeddings.md).");
                break;
            case EmbeddingProvider.Onnx when OnnxModelFiles.Find(options.OnnxModelDirectory!, options.OnnxMaxTokens, out var problem) is null:
                failures.Add($"Embeddings:Provider is Onnx but Embeddings:OnnxModelDirectory is unusable: {problem}.");
                break;
            case EmbeddingProvider.Glove when !File.Exists(EmbeddingServices.GloveFile(options, data.Value)):
                failures.Add($"Embeddings:Provider is Glove but {EmbeddingServices.GloveFile(options, data.Value)} does not exist; run scripts/fetch-glove.sh or set Embeddings:GloveFile.");
                break;
            case EmbeddingProvider.OpenAi:
                ValidateOpenAi(options, failures);
                break;
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void ValidateOpenAi(EmbeddingOptions options, List<string> failures)
    {
        if (!options.Endpoint.IsAbsoluteUri || options.Endpoint.Scheme is not ("http" or "https"))
        {
            failures.Add("Embeddings:Endpoint must be an absolute http(s) address such as https://api.openai.com/v1.");
        }

        if (string.IsNullOrWhiteSpace(options.Model))
        {
            failures.Add("Embeddings:Model is required for the OpenAi provider.");
        }

        if (options.ApiKeyFile is { Length: > 0 } file && !File.Exists(file))
        {
            failures.Add($"Embeddings:ApiKeyFile {file} does not exist.");
        }
        else if (string.IsNullOrWhiteSpace(options.ApiKey) && string.IsNullOrWhiteSpace(options.ApiKeyFile)
            && options.Endpoint.IsAbsoluteUri && options.Endpoint.Host.EndsWith("openai.com", StringComparison.OrdinalIgnoreCase))
        {
            failures.Add("Embeddings:ApiKey (environment Embeddings__ApiKey) or Embeddings:ApiKeyFile is required for api.openai.com.");
        }
    }
}
