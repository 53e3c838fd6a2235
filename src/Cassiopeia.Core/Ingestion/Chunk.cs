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
}

/// <summary>A chunk as the API shows it.</summary>
public sealed record ChunkView(string Id, int Ordinal, string Text, int? Page, string HeadingPath, bool Suspect);
