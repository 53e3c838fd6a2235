using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>How chunks are embedded. Section <c>Embeddings</c>; see docs/embeddings.md.</summary>
public sealed class EmbeddingOptions
{
    public const string SectionName = "Embeddings";

    /// <summary><c>Auto</c> (default), <c>Onnx</c>, <c>Glove</c>, <c>OpenAi</c> or <c>Lexical</c>. An explicit provider whose files are missing fails start-up.</summary>
    public EmbeddingProvider Provider { get; set; } = EmbeddingProvider.Auto;

    /// <summary>Texts per generator call (and per request to a remote endpoint).</summary>
    [Range(1, 2048)]
    public int BatchSize { get; set; } = 32;

    /// <summary>Folder holding <c>model.onnx</c> (or <c>onnx/model.onnx</c>) and <c>vocab.txt</c>, e.g. a clone of sentence-transformers/all-MiniLM-L6-v2.</summary>
    public string? OnnxModelDirectory { get; set; }

    /// <summary>Name in the stored model id (<c>onnx:&lt;name&gt;</c>); defaults to the folder name.</summary>
    public string? OnnxModelName { get; set; }

    /// <summary>Longest input in tokens; longer input is truncated. Defaults to the model's <c>sentence_bert_config.json</c>, else its tokenizer's limit, at most 512.</summary>
    [Range(8, 8192)]
    public int? OnnxMaxTokens { get; set; }

    /// <summary>Converted GloVe vectors (<c>scripts/fetch-glove.sh</c>); defaults to <c>models/glove-100d.bin</c> in the data directory.</summary>
    public string? GloveFile { get; set; }

    /// <summary>Base address of an OpenAI-compatible API (requests go to <c>{Endpoint}/embeddings</c>).</summary>
    public Uri Endpoint { get; set; } = new("https://api.openai.com/v1");

    /// <summary>API key, from the environment (<c>Embeddings__ApiKey</c>) or <see cref="ApiKeyFile"/>; never in settings files.</summary>
    public string? ApiKey { get; set; }

    /// <summary>File holding the API key (a mounted secret), read when <see cref="ApiKey"/> is unset.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Remote embedding model.</summary>
    public string Model { get; set; } = "text-embedding-3-small";

    /// <summary>Vector length the remote model returns.</summary>
    [Range(1, 16384)]
    public int Dimensions { get; set; } = 1536;

    /// <summary>Send <see cref="Dimensions"/> with each request (text-embedding-3 models shorten vectors); turn off for models that reject the parameter.</summary>
    public bool SendDimensions { get; set; } = true;

    /// <summary>Retries of a request answered 429 or 5xx (waiting as long as <c>Retry-After</c> asks).</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 4;

    /// <summary>Vector length of the lexical embedder.</summary>
    [Range(64, 4096)]
    public int LexicalDimensions { get; set; } = 384;
}
