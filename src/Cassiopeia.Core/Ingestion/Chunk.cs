using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// A piece of a document's text with its embedding. The keyword index (FTS5 / tsvector) follows
/// this table inside the same transaction; the vector index is built from <see cref="Vector"/>.
/// </summary>
public sealed class Chunk : IOrganizationScoped
{
    /// <summary>Integer key, so the SQLite full-text index can use it as a stable rowid.</summary>
    public long Seq { get; init; }

    /// <summary>Derived from the document and ordinal: re-ingesting yields the same ids, so citations stay valid.</summary>
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    public required string DocumentId { get; init; }

    public int Ordinal { get; init; }

    public required string Text { get; init; }

    public int? Page { get; init; }

    public required string HeadingPath { get; init; }

    public int TokenCount { get; init; }

    /// <summary>Holds text a human reader of the original would not see (hidden, white, tiny, off-page).</summary>
    public bool Suspect { get; init; }

    /// <summary>SHA-256 of <see cref="Text"/>: the embedding cache key with <see cref="ModelId"/>.</summary>
    public required string ContentHash { get; init; }

    public required string ModelId { get; init; }

    public int Dimensions { get; init; }

    /// <summary>L2-normalised float32 values, little-endian.</summary>
    public required byte[] Vector { get; init; }

    /// <summary>The stored form of a draft and its vector: the one mapping ingestion (and its benchmark floor) writes.</summary>
    public static Chunk From(string organizationId, string documentId, ChunkDraft draft, EmbeddingModel model, float[] vector) => new()
    {
        Id = Common.Ids.Derived("chk", $"{documentId}/{draft.Ordinal}"),
        OrganizationId = organizationId,
        DocumentId = documentId,
        Ordinal = draft.Ordinal,
        Text = draft.Text,
        Page = draft.Page,
        HeadingPath = draft.HeadingPath,
        TokenCount = draft.TokenCount,
        Suspect = draft.Suspect,
        ContentHash = HashOf(draft.Text),
        ModelId = model.Id,
        Dimensions = model.Dimensions,
        Vector = System.Runtime.InteropServices.MemoryMarshal.AsBytes(vector.AsSpan()).ToArray(),
    };

    /// <summary>SHA-256 of the text, lower-case hex: the embedding cache key with the model id.</summary>
    public static string HashOf(string text) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(text)));
}

/// <summary>A chunk as the API shows it.</summary>
public sealed record ChunkView(string Id, int Ordinal, string Text, int? Page, string HeadingPath, bool Suspect);
