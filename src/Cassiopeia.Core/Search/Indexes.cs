namespace Cassiopeia.Core.Search;

/// <summary>One chunk found by an index, with the index's own score (higher is better).</summary>
public sealed record IndexHit(string ChunkId, string DocumentId, double Score);

/// <summary>Full-text search over chunk text within one organization (SQLite FTS5 or PostgreSQL tsvector).</summary>
public interface IKeywordIndex
{
    Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string query, int topK, IReadOnlyCollection<string>? documentIds, CancellationToken ct);
}

/// <summary>Nearest chunks by cosine similarity within one organization.</summary>
public interface IVectorIndex
{
    /// <param name="query">An L2-normalised vector from the current embedding model.</param>
    Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string modelId, ReadOnlyMemory<float> query, int topK, IReadOnlyCollection<string>? documentIds, CancellationToken ct);
}
