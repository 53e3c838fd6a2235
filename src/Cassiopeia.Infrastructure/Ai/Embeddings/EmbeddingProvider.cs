namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>Which embedder turns chunks into vectors.</summary>
public enum EmbeddingProvider
{
    /// <summary>ONNX model when one is configured and present, else GloVe when converted, else lexical.</summary>
    Auto,

    /// <summary>A sentence-transformer ONNX model (all-MiniLM-L6-v2, bge-small-en-v1.5) run in process.</summary>
    Onnx,

    /// <summary>Frequency-weighted average of GloVe word vectors (static, semantic, fast).</summary>
    Glove,

    /// <summary>An OpenAI-compatible <c>/embeddings</c> endpoint.</summary>
    OpenAi,

    /// <summary>Feature hashing of words and character n-grams (lexical, not semantic; needs no files).</summary>
    Lexical,
}
