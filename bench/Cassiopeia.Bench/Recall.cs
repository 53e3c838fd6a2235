using Cassiopeia.Core.Search;

namespace Cassiopeia.Bench;

/// <summary>
/// Recall@k of approximate hits against the exact ones, three ways: strict (the share of the exact
/// top k returned), with exact ties (a hit scoring exactly the k-th exact score also counts: the
/// exact set is then one of several equally right ones) and as ann-benchmarks counts it (a hit
/// counts when its cosine distance is at most the exact k-th distance + 1e-3).
/// </summary>
public sealed class Recall
{
    private double _strict;
    private double _tied;
    private double _annBenchmarks;
    private int _expected;

    public void Add(IReadOnlyList<IndexHit> hits, IReadOnlyList<IndexHit> exact)
    {
        var ids = exact.Select(h => h.ChunkId).ToHashSet(StringComparer.Ordinal);
        var kth = exact[^1].Score;
        _strict += hits.Count(h => ids.Contains(h.ChunkId));
        _tied += hits.Count(h => ids.Contains(h.ChunkId) || h.Score >= kth);
        _annBenchmarks += hits.Count(h => 1 - h.Score <= 1 - kth + 1e-3);
        _expected += exact.Count;
    }

    public double Strict => _strict / _expected;

    public double WithExactTies => _tied / _expected;

    public double AnnBenchmarks => _annBenchmarks / _expected;
}
