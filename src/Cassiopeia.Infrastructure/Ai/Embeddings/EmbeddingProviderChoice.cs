namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>The provider to use and why, resolved from the settings and the files present.</summary>
public sealed record EmbeddingProviderChoice(EmbeddingProvider Provider, string Reason, OnnxModelFiles? OnnxFiles, string GloveFile)
{
    /// <summary>
    /// <c>Auto</c>: the ONNX model when configured and present, else GloVe when converted, else
    /// lexical. An explicit provider is taken as is (its files are checked at start-up).
    /// </summary>
    public static EmbeddingProviderChoice Resolve(EmbeddingOptions options, string gloveFile)
    {
        var problem = "";
        var onnx = options.OnnxModelDirectory is { Length: > 0 } directory
            ? OnnxModelFiles.Find(directory, options.OnnxMaxTokens, out problem)
            : null;
        if (options.Provider != EmbeddingProvider.Auto)
        {
            return new(options.Provider, $"Embeddings:Provider is {options.Provider}", onnx, gloveFile);
        }

        if (onnx is not null)
        {
            return new(EmbeddingProvider.Onnx, $"auto: ONNX model {onnx.ModelPath}", onnx, gloveFile);
        }

        var noOnnx = options.OnnxModelDirectory is { Length: > 0 } ? $"ONNX model unusable ({problem})" : "no Embeddings:OnnxModelDirectory";
        return File.Exists(gloveFile)
            ? new(EmbeddingProvider.Glove, $"auto: {noOnnx}; GloVe vectors at {gloveFile}", null, gloveFile)
            : new(EmbeddingProvider.Lexical, $"auto: {noOnnx}; no GloVe vectors at {gloveFile} (scripts/fetch-glove.sh converts them); lexical embeddings are not semantic", null, gloveFile);
    }
}
