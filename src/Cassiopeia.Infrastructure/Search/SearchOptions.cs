using System.ComponentModel.DataAnnotations;
using Cassiopeia.Infrastructure.Search.Hnsw;

namespace Cassiopeia.Infrastructure.Search;

/// <summary>Where vectors are searched: in each process's memory, or in PostgreSQL with pgvector.</summary>
public enum VectorStoreKind
{
    InProcess,
    Pgvector,
}

/// <summary>How the vector side of search scales. Section <c>Search</c>; see docs/benchmarks.md for the measurements behind the defaults.</summary>
public sealed class SearchOptions
{
    public const string SectionName = "Search";

    /// <summary>
    /// <c>InProcess</c> (the default): each process holds its organizations' vectors in memory, synced
    /// from the database. <c>Pgvector</c>: one HNSW index in PostgreSQL shared by every node
    /// (section <c>Search:Pgvector</c>); the settings below about graphs and snapshots then do not apply.
    /// </summary>
    public VectorStoreKind VectorStore { get; set; } = VectorStoreKind.InProcess;

    /// <summary>
    /// Live vectors of one (organization, model) above which an approximate HNSW graph answers
    /// instead of an exact scan. Below it the scan is exact and already fast; 0 always builds a graph.
    /// </summary>
    [Range(0, int.MaxValue)]
    public int ApproximateAbove { get; set; } = 20_000;

    /// <summary>HNSW links per node (layer 0 gets twice as many).</summary>
    [Range(4, 64)]
    public int M { get; set; } = 32;

    /// <summary>HNSW candidate list size while inserting: graph quality against build time.</summary>
    [Range(16, 1000)]
    public int EfConstruction { get; set; } = 200;

    /// <summary>
    /// HNSW candidate list size while searching the largest organizations: recall against latency.
    /// Smaller graphs reach the same recall with a shorter list, so the list grows with the
    /// organization: one entry per <see cref="RowsPerEfSearchEntry"/> rows, at least
    /// <see cref="EfSearchMin"/>, at most this. See <see cref="EfSearchFor"/>.
    /// </summary>
    [Range(10, 4000)]
    public int EfSearch { get; set; } = 512;

    /// <summary>The shortest candidate list (organizations up to 256k rows with the defaults).</summary>
    [Range(10, 4000)]
    public int EfSearchMin { get; set; } = 128;

    /// <summary>Rows per candidate-list entry: 2,000 gives 128 up to 256k rows and about 512 at 1M (recall@10 0.99 and 0.97 measured there).</summary>
    public const int RowsPerEfSearchEntry = 2_000;

    /// <summary>
    /// Candidate list entries per result asked for, when that exceeds <see cref="EfSearch"/>: a
    /// search for many results (search asks the index for four times topK, at least 40) keeps a
    /// list long enough for all of them to be good.
    /// </summary>
    [Range(1, 20)]
    public int EfSearchPerResult { get; set; } = 2;

    /// <summary>Threads linking a graph while it is built or compacted in the background; 0 uses every processor.</summary>
    [Range(0, 256)]
    public int BuildThreads { get; set; }

    /// <summary>Share of tombstoned rows above which the graph is rebuilt from the live rows in the background.</summary>
    [Range(0.01, 0.9)]
    public double CompactAbove { get; set; } = 0.2;

    /// <summary>
    /// How often a large organization (above <see cref="ApproximateAbove"/>) checks for deleted
    /// chunks, in the background. Counting a million keys takes SQLite tens of milliseconds, too
    /// much for every search; new chunks are still seen at once (by key), and deleted ones are
    /// never shown meanwhile because results are read back from the database.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan DeleteCheckInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Keep graphs on disk under <c>&lt;data&gt;/indexes/</c> so a restart does not rebuild them.</summary>
    public bool PersistSnapshots { get; set; } = true;

    /// <summary>Rows added or deleted since the last snapshot after which it is written again (in the background).</summary>
    [Range(1, int.MaxValue)]
    public int SnapshotAfterChanges { get; set; } = 10_000;

    /// <summary>The candidate list for a search asking for <paramref name="results"/> nearest rows in a graph of <paramref name="rows"/>.</summary>
    public int EfSearchFor(int results, int rows)
    {
        var bySize = Math.Clamp(rows / RowsPerEfSearchEntry, Math.Min(EfSearchMin, EfSearch), EfSearch);
        return Math.Max(bySize, Math.Min(results, 10_000) * EfSearchPerResult);
    }

    public HnswParameters Hnsw => new() { M = M, EfConstruction = EfConstruction, BuildThreads = BuildThreads == 0 ? Environment.ProcessorCount : BuildThreads };
}
