using System.Numerics.Tensors;

namespace Cassiopeia.Infrastructure.Search.Hnsw;

/// <summary>
/// Hierarchical navigable small world graph (Malkov &amp; Yashunin, arXiv:1603.09320) over the rows
/// of a <see cref="VectorStore"/>, scored by dot product (cosine on L2-normalised rows). Node ids
/// are row indexes. Layer 0 lives in one int array with a fixed stride (count, then 2·M links); the
/// few nodes above layer 0 (about 1 in M) keep one int array each for their upper layers.
/// </summary>
/// <remarks>
/// Threading: any number of <see cref="Search"/> calls may run together, but <see cref="Add"/>
/// must not overlap them or each other; the owner serialises writers against readers.
/// Deleting is the owner's business too: searches take a predicate, and rejected nodes still route
/// the walk but are never returned, so tombstones keep the graph connected until a rebuild.
/// </remarks>
public sealed partial class HnswGraph
{
    private readonly VectorStore _vectors;
    private readonly int _m;
    private readonly int _m0;
    private readonly int _efConstruction;
    private readonly double _levelFactor;
    private ulong _random;
    private int[] _layer0;
    private int[][] _upper;
    private byte[] _levels;
    private int _count;
    private int _entry = -1;
    private int _maxLevel = -1;

    public HnswGraph(VectorStore vectors, HnswParameters parameters)
    {
        _vectors = vectors;
        _m = parameters.M;
        _m0 = parameters.M * 2;
        _efConstruction = Math.Max(parameters.EfConstruction, parameters.M);
        _levelFactor = 1 / Math.Log(parameters.M);
        _random = parameters.Seed;
        _layer0 = new int[16 * (_m0 + 1)];
        _upper = new int[16][];
        _levels = new byte[16];
    }

    /// <summary>Nodes linked so far (rows 0..Count-1 of the store).</summary>
    public int Count => _count;

    public int Dimensions => _vectors.Dimensions;

    /// <summary>Links the next row of the store (row <see cref="Count"/>) into the graph.</summary>
    public void Add()
    {
        var node = _count;
        if (node >= _vectors.Count)
        {
            throw new InvalidOperationException("The store holds no row for the next node.");
        }

        EnsureCapacity(node + 1);
        var level = RandomLevel();
        _levels[node] = (byte)level;
        _upper[node] = level == 0 ? [] : new int[level * (_m + 1)];
        _layer0[node * (_m0 + 1)] = 0;
        _count = node + 1;
        if (_entry < 0)
        {
            _entry = node;
            _maxLevel = level;
            return;
        }

        var query = _vectors[node];
        var entry = _entry;
        var entryScore = Score(query, entry);
        for (var layer = _maxLevel; layer > level; layer--)
        {
            (entry, entryScore) = Greedy(query, entry, entryScore, layer);
        }

        var visited = Visited.Rent(_count);
        for (var layer = Math.Min(level, _maxLevel); layer >= 0; layer--)
        {
            var found = SearchLayer(query, entry, entryScore, _efConstruction, layer, accept: null, visited);
            var neighbors = SelectNeighbors(found, _m);
            var links = Links(node, layer);
            for (var i = 0; i < neighbors.Count; i++)
            {
                links[i + 1] = neighbors[i].Node;
            }

            links[0] = neighbors.Count;
            foreach (var (neighbor, score) in neighbors)
            {
                Connect(neighbor, node, score, layer);
            }

            (entry, entryScore) = found[0];
        }

        if (level > _maxLevel)
        {
            _maxLevel = level;
            _entry = node;
        }
    }

    /// <summary>
    /// The <paramref name="k"/> best accepted nodes, best first. <paramref name="ef"/> is the
    /// candidate list size; with a selective <paramref name="accept"/> the caller raises it.
    /// </summary>
    public List<(int Node, float Score)> Search(ReadOnlySpan<float> query, int k, int ef, Func<int, bool>? accept)
    {
        if (_entry < 0 || query.Length != Dimensions || k <= 0)
        {
            return [];
        }

        var entry = _entry;
        var entryScore = Score(query, entry);
        for (var layer = _maxLevel; layer > 0; layer--)
        {
            (entry, entryScore) = Greedy(query, entry, entryScore, layer);
        }

        var found = SearchLayer(query, entry, entryScore, Math.Max(ef, k), 0, accept, Visited.Rent(_count));
        if (found.Count > k)
        {
            found.RemoveRange(k, found.Count - k);
        }

        return found;
    }

    private float Score(ReadOnlySpan<float> query, int node) => TensorPrimitives.Dot(query, _vectors[node]);

    private Span<int> Links(int node, int layer) => layer == 0
        ? _layer0.AsSpan(node * (_m0 + 1), _m0 + 1)
        : _upper[node].AsSpan((layer - 1) * (_m + 1), _m + 1);

    /// <summary>Walks to the best neighbour until none is better: the descent through the sparse layers.</summary>
    private (int Node, float Score) Greedy(ReadOnlySpan<float> query, int entry, float entryScore, int layer)
    {
        var changed = true;
        while (changed)
        {
            changed = false;
            var links = Links(entry, layer);
            var count = links[0];
            for (var i = 1; i <= count; i++)
            {
                var candidate = links[i];
                var score = Score(query, candidate);
                if (score > entryScore)
                {
                    entryScore = score;
                    entry = candidate;
                    changed = true;
                }
            }
        }

        return (entry, entryScore);
    }

    /// <summary>Algorithm 2 of the paper: best-first search keeping the <paramref name="ef"/> best accepted nodes. Sorted best first.</summary>
    private List<(int Node, float Score)> SearchLayer(ReadOnlySpan<float> query, int entry, float entryScore, int ef, int layer, Func<int, bool>? accept, Visited visited)
    {
        // Candidates: best first (priority is the negated score). Results: a bounded min-heap whose root is the weakest kept.
        var candidates = new PriorityQueue<int, float>();
        var results = new PriorityQueue<int, float>(ef + 1);
        visited.Next();
        visited.Mark(entry);
        candidates.Enqueue(entry, -entryScore);
        if (accept is null || accept(entry))
        {
            results.Enqueue(entry, entryScore);
        }

        while (candidates.TryDequeue(out var current, out var negated))
        {
            if (results.Count >= ef && results.TryPeek(out _, out var weakest) && -negated < weakest)
            {
                break;
            }

            var links = Links(current, layer);
            var count = links[0];
            for (var i = 1; i <= count; i++)
            {
                var neighbor = links[i];
                if (!visited.Mark(neighbor))
                {
                    continue;
                }

                var score = Score(query, neighbor);
                var full = results.Count >= ef;
                if (full && results.TryPeek(out _, out var worst) && score <= worst)
                {
                    continue;
                }

                // Rejected nodes still route the walk: a tombstone or a filtered-out chunk can lead to good ones.
                candidates.Enqueue(neighbor, -score);
                if (accept is null || accept(neighbor))
                {
                    if (full)
                    {
                        results.DequeueEnqueue(neighbor, score);
                    }
                    else
                    {
                        results.Enqueue(neighbor, score);
                    }
                }
            }
        }

        var sorted = new List<(int Node, float Score)>(results.Count);
        while (results.TryDequeue(out var node, out var score))
        {
            sorted.Add((node, score));
        }

        sorted.Reverse();
        return sorted;
    }

    /// <summary>
    /// Algorithm 4 (heuristic, without extension): take candidates best first, skipping one that is
    /// closer to an already chosen neighbour than to the base. Keeps links spread across directions,
    /// which is what lets clustered data stay navigable.
    /// </summary>
    private List<(int Node, float Score)> SelectNeighbors(List<(int Node, float Score)> sortedCandidates, int limit)
    {
        var chosen = new List<(int Node, float Score)>(limit);
        foreach (var (candidate, score) in sortedCandidates)
        {
            var keep = true;
            var vector = _vectors[candidate];
            foreach (var (other, _) in chosen)
            {
                if (TensorPrimitives.Dot(vector, _vectors[other]) > score)
                {
                    keep = false;
                    break;
                }
            }

            if (keep)
            {
                chosen.Add((candidate, score));
                if (chosen.Count == limit)
                {
                    break;
                }
            }
        }

        return chosen;
    }

    /// <summary>Adds the back link neighbour → node; a full list is re-selected with the heuristic.</summary>
    private void Connect(int neighbor, int node, float score, int layer)
    {
        var links = Links(neighbor, layer);
        var limit = layer == 0 ? _m0 : _m;
        var count = links[0];
        if (count < limit)
        {
            links[count + 1] = node;
            links[0] = count + 1;
            return;
        }

        var base_ = _vectors[neighbor];
        var candidates = new List<(int Node, float Score)>(count + 1) { (node, score) };
        for (var i = 1; i <= count; i++)
        {
            candidates.Add((links[i], TensorPrimitives.Dot(base_, _vectors[links[i]])));
        }

        candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
        var kept = SelectNeighbors(candidates, limit);
        for (var i = 0; i < kept.Count; i++)
        {
            links[i + 1] = kept[i].Node;
        }

        links[0] = kept.Count;
    }

    /// <summary>Level with P(level ≥ l) = M^-l, from a seeded SplitMix64 so that builds are reproducible.</summary>
    private int RandomLevel()
    {
        _random += 0x9E3779B97F4A7C15;
        var z = _random;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EB;
        z ^= z >> 31;
        var uniform = ((z >> 11) + 0.5) / (1UL << 53);
        return Math.Min((int)(-Math.Log(uniform) * _levelFactor), 32);
    }

    private void EnsureCapacity(int nodes)
    {
        if (nodes <= _levels.Length)
        {
            return;
        }

        var capacity = Math.Max(nodes, _levels.Length * 2);
        Array.Resize(ref _layer0, capacity * (_m0 + 1));
        Array.Resize(ref _upper, capacity);
        Array.Resize(ref _levels, capacity);
    }
}
