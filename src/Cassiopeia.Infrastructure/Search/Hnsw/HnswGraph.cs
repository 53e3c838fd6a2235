using System.Numerics.Tensors;

namespace Cassiopeia.Infrastructure.Search.Hnsw;

/// <summary>
/// Hierarchical navigable small world graph (Malkov &amp; Yashunin, arXiv:1603.09320) over the rows
/// of a <see cref="VectorStore"/>, scored by dot product (cosine on L2-normalised rows). Node ids
/// are row indexes. Layer 0 lives in one int array with a fixed stride (count, then 2·M links); the
/// few nodes above layer 0 (about 1 in M) keep one int array each for their upper layers.
/// </summary>
/// <remarks>
/// Threading: any number of <see cref="Search"/> calls may run together, but <see cref="Add"/> and
/// <see cref="AddRange"/> must not overlap them or each other; the owner serialises writers against
/// readers. <see cref="AddRange"/> itself inserts on several threads, each node's links guarded by a
/// striped lock while it runs.
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
    private readonly object _entryLock = new();

    /// <summary>Striped per-node locks, present only while a parallel build runs.</summary>
    private object[]? _nodeLocks;

    private const int NodeLockStripes = 4096;
    private const int ParallelBatch = 32;

    public HnswGraph(VectorStore vectors, HnswParameters parameters)
    {
        _vectors = vectors;
        _m = parameters.M;
        _m0 = parameters.M * 2;
        _efConstruction = Effective(parameters).EfConstruction;
        _levelFactor = 1 / Math.Log(parameters.M);
        _random = parameters.Seed;
        _layer0 = new int[16 * (_m0 + 1)];
        _upper = new int[16][];
        _levels = new byte[16];
    }

    /// <summary>The parameters as a graph uses them: a candidate list never shorter than the links it fills.</summary>
    public static HnswParameters Effective(HnswParameters parameters) =>
        parameters with { EfConstruction = Math.Max(parameters.EfConstruction, parameters.M) };

    /// <summary>Nodes linked so far (rows 0..Count-1 of the store).</summary>
    public int Count => _count;

    public int Dimensions => _vectors.Dimensions;

    /// <summary>The shape the graph was built with (efConstruction at least M), to tell whether it matches the configured one.</summary>
    public HnswParameters Parameters => new() { M = _m, EfConstruction = _efConstruction };

    /// <summary>Links the next row of the store (row <see cref="Count"/>) into the graph.</summary>
    public void Add()
    {
        var node = _count;
        if (node >= _vectors.Count)
        {
            throw new InvalidOperationException("The store holds no row for the next node.");
        }

        EnsureCapacity(node + 1);
        Prepare(node, RandomLevel());
        _count = node + 1;
        Insert(node);
    }

    /// <summary>
    /// Links the next <paramref name="rows"/> rows of the store, <paramref name="threads"/> inserts
    /// at a time (as hnswlib does: a lock per node guards its links, a global one the entry point).
    /// Levels are drawn in row order first, so the layer structure does not depend on the threads;
    /// with one thread the graph is the one <see cref="Add"/> builds. No search may run meanwhile:
    /// the graph is searched once built (the owner builds it off to the side).
    /// </summary>
    public void AddRange(int rows, int threads, CancellationToken ct)
    {
        var first = _count;
        var end = first + rows;
        if (rows < 0 || end > _vectors.Count)
        {
            throw new InvalidOperationException("The store holds no row for the next node.");
        }

        EnsureCapacity(end);
        for (var node = first; node < end; node++)
        {
            Prepare(node, RandomLevel());
        }

        if (threads <= 1 || rows < 2 * ParallelBatch)
        {
            for (var node = first; node < end; node++)
            {
                if (node % ParallelBatch == 0)
                {
                    ct.ThrowIfCancellationRequested();
                }

                _count = node + 1;
                Insert(node);
            }

            return;
        }

        // Nodes not linked yet have empty lists, so they are unreachable until their insert links them.
        _count = end;
        _nodeLocks = new object[NodeLockStripes];
        for (var i = 0; i < _nodeLocks.Length; i++)
        {
            _nodeLocks[i] = new object();
        }

        try
        {
            var next = first;
            Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads, CancellationToken = ct }, _ =>
            {
                // Small batches in row order: inserts stay close to the sequential order, which keeps the graph as good.
                int batch;
                while ((batch = Interlocked.Add(ref next, ParallelBatch) - ParallelBatch) < end && !ct.IsCancellationRequested)
                {
                    for (var node = batch; node < Math.Min(batch + ParallelBatch, end); node++)
                    {
                        Insert(node);
                    }
                }
            });
            ct.ThrowIfCancellationRequested();
        }
        finally
        {
            _nodeLocks = null;
        }
    }

    private void Prepare(int node, int level)
    {
        _levels[node] = (byte)level;
        _upper[node] = level == 0 ? [] : new int[level * (_m + 1)];
        _layer0[node * (_m0 + 1)] = 0;
    }

    /// <summary>Algorithm 1 of the paper for a prepared node; locks only while <see cref="_nodeLocks"/> is set (a parallel build).</summary>
    private void Insert(int node)
    {
        var level = (int)_levels[node];
        var concurrent = _nodeLocks is not null;
        // Like hnswlib: an insert that will raise the top level holds the global lock throughout, the others only to read the entry point.
        var holding = false;
        if (concurrent)
        {
            Monitor.Enter(_entryLock);
            holding = true;
        }

        try
        {
            var entry = _entry;
            var maxLevel = _maxLevel;
            if (entry < 0)
            {
                _entry = node;
                _maxLevel = level;
                return;
            }

            if (holding && level <= maxLevel)
            {
                Monitor.Exit(_entryLock);
                holding = false;
            }

            var query = _vectors[node];
            var entryScore = Score(query, entry);
            for (var layer = maxLevel; layer > level; layer--)
            {
                (entry, entryScore) = Greedy(query, entry, entryScore, layer);
            }

            // Neighbours are chosen top-down but linked bottom-up: once another insert can reach this
            // node on a layer, its lists below are already filled, so a walk descending through it
            // never lands on an empty list (which would leave that insert with one neighbour).
            // Sequentially the graph is the same either way: a layer's search reads no other layer.
            var visited = Visited.Rent(_count);
            var top = Math.Min(level, maxLevel);
            var chosen = new List<(int Node, float Score)>[top + 1];
            for (var layer = top; layer >= 0; layer--)
            {
                var found = SearchLayer(query, entry, entryScore, _efConstruction, layer, accept: null, visited);
                chosen[layer] = SelectNeighbors(found, _m);
                (entry, entryScore) = found[0];
            }

            for (var layer = 0; layer <= top; layer++)
            {
                SetLinks(node, layer, chosen[layer]);
                foreach (var (neighbor, score) in chosen[layer])
                {
                    Connect(neighbor, node, score, layer);
                }
            }

            if (level > maxLevel)
            {
                _maxLevel = level;
                _entry = node;
            }
        }
        finally
        {
            if (holding)
            {
                Monitor.Exit(_entryLock);
            }
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
        Span<int> buffer = stackalloc int[_m0];
        var changed = true;
        while (changed)
        {
            changed = false;
            foreach (var candidate in Neighbors(entry, layer, buffer))
            {
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

    /// <summary>The links of a node on a layer; during a parallel build a copy taken under the node's lock.</summary>
    private ReadOnlySpan<int> Neighbors(int node, int layer, Span<int> buffer)
    {
        var links = Links(node, layer);
        if (_nodeLocks is not { } locks)
        {
            return links.Slice(1, links[0]);
        }

        lock (locks[node & (NodeLockStripes - 1)])
        {
            var count = links[0];
            links.Slice(1, count).CopyTo(buffer);
            return buffer[..count];
        }
    }

    /// <summary>Algorithm 2 of the paper: best-first search keeping the <paramref name="ef"/> best accepted nodes. Sorted best first.</summary>
    private List<(int Node, float Score)> SearchLayer(ReadOnlySpan<float> query, int entry, float entryScore, int ef, int layer, Func<int, bool>? accept, Visited visited)
    {
        // Candidates: best first (priority is the negated score). Results: a bounded min-heap whose root is the weakest kept.
        var candidates = visited.Candidates;
        var results = visited.Results;
        candidates.Clear();
        results.Clear();
        visited.Next();
        visited.Mark(entry);
        candidates.Enqueue(entry, -entryScore);
        if (accept is null || accept(entry))
        {
            results.Enqueue(entry, entryScore);
        }

        Span<int> buffer = stackalloc int[_m0];
        while (candidates.TryDequeue(out var current, out var negated))
        {
            if (results.Count >= ef && results.TryPeek(out _, out var weakest) && -negated < weakest)
            {
                break;
            }

            foreach (var neighbor in Neighbors(current, layer, buffer))
            {
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

    /// <summary>
    /// Writes the new node's own links. In a parallel build another insert may have linked to it
    /// already (it found this node half inserted): those links are kept too, as <see cref="Connect"/>
    /// would have added them, and only an overfull list is pruned by the heuristic. Dropping them
    /// could leave that other node with no link pointing at it.
    /// </summary>
    private void SetLinks(int node, int layer, List<(int Node, float Score)> neighbors)
    {
        if (_nodeLocks is not { } locks)
        {
            Write(Links(node, layer), neighbors);
            return;
        }

        lock (locks[node & (NodeLockStripes - 1)])
        {
            var links = Links(node, layer);
            if (links[0] == 0)
            {
                Write(links, neighbors);
                return;
            }

            var base_ = _vectors[node];
            var candidates = new List<(int Node, float Score)>(neighbors);
            foreach (var link in links.Slice(1, links[0]))
            {
                if (!neighbors.Exists(n => n.Node == link))
                {
                    candidates.Add((link, TensorPrimitives.Dot(base_, _vectors[link])));
                }
            }

            var limit = layer == 0 ? _m0 : _m;
            candidates.Sort(static (a, b) => b.Score.CompareTo(a.Score));
            Write(links, candidates.Count <= limit ? candidates : SelectNeighbors(candidates, limit));
        }
    }

    private static void Write(Span<int> links, List<(int Node, float Score)> neighbors)
    {
        for (var i = 0; i < neighbors.Count; i++)
        {
            links[i + 1] = neighbors[i].Node;
        }

        links[0] = neighbors.Count;
    }

    /// <summary>Adds the back link neighbour → node; a full list is re-selected with the heuristic.</summary>
    private void Connect(int neighbor, int node, float score, int layer)
    {
        if (_nodeLocks is not { } locks)
        {
            ConnectUnlocked(neighbor, node, score, layer);
            return;
        }

        lock (locks[neighbor & (NodeLockStripes - 1)])
        {
            ConnectUnlocked(neighbor, node, score, layer);
        }
    }

    private void ConnectUnlocked(int neighbor, int node, float score, int layer)
    {
        var links = Links(neighbor, layer);
        var limit = layer == 0 ? _m0 : _m;
        var count = links[0];
        if (links.Slice(1, count).Contains(node))
        {
            return;
        }

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
        Write(links, SelectNeighbors(candidates, limit));
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
