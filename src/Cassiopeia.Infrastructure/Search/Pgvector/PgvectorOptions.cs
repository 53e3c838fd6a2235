using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Infrastructure.Search.Pgvector;

/// <summary>
/// Where and how the pgvector store keeps vectors. Section <c>Search:Pgvector</c>; used when
/// <see cref="SearchOptions.VectorStore"/> is <see cref="VectorStoreKind.Pgvector"/>. A scale-out
/// deployment keeps the vectors in its PostgreSQL (Aurora, RDS) beside the rest, so every node
/// searches the same index and none holds a graph in memory. See docs/deployment.md.
/// </summary>
public sealed class PgvectorOptions
{
    public const string SectionName = "Search:Pgvector";

    /// <summary>An Npgsql connection string; defaults to <c>Database:ConnectionString</c> (the same PostgreSQL database).</summary>
    public string? ConnectionString { get; set; }

    /// <summary>The schema holding the <c>chunk_vectors</c> table, created at start when missing.</summary>
    [RegularExpression("^[a-z_][a-z0-9_]{0,62}$", ErrorMessage = "Search:Pgvector:Schema must be a lower-case SQL identifier.")]
    public string Schema { get; set; } = "public";

    /// <summary>
    /// Organizations with at most this many chunks are searched exactly (their rows by the organization
    /// index, then sorted by distance): exact recall, and cheap at this size. Larger ones use the HNSW
    /// index with pgvector's iterative scan, which keeps walking the graph until enough rows of the
    /// organization were found. 0 always uses the index.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int ExactBelow { get; set; } = 20_000;

    /// <summary>HNSW links per node (<c>m</c> of the index; pgvector's default is 16).</summary>
    [Range(2, 100)]
    public int M { get; set; } = 16;

    /// <summary>HNSW candidate list while building (<c>ef_construction</c>; pgvector's default is 64).</summary>
    [Range(4, 1000)]
    public int EfConstruction { get; set; } = 64;

    /// <summary>HNSW candidate list while searching (<c>hnsw.ef_search</c>); raised to the number of rows asked for when that is larger.</summary>
    [Range(1, 1000)]
    public int EfSearch { get; set; } = 100;

    /// <summary>
    /// Most rows an iterative index scan visits looking for the organization's rows
    /// (<c>hnsw.max_scan_tuples</c>): an organization holding a small share of a large table needs a
    /// long walk, beyond which pgvector returns what it found.
    /// </summary>
    [Range(1000, int.MaxValue)]
    public int MaxScanTuples { get; set; } = 200_000;
}
