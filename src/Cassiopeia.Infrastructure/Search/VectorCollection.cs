using System.Numerics.Tensors;
using Cassiopeia.Core.Search;
using Cassiopeia.Infrastructure.Search.Hnsw;

namespace Cassiopeia.Infrastructure.Search;

/// <summary>
/// The vectors of one (organization, model) in memory, each row tagged with its chunk, document and
/// database key (<c>Seq</c>), searched exactly or through an <see cref="HnswGraph"/> over the same
/// rows. Rows are append-only; a deleted chunk becomes a tombstone until the next compaction.
/// Searches run concurrently under a read lock; <see cref="Add"/> and the delete methods take the
/// write lock and must come from one writer at a time (the owner's refresh).
/// </summary>
public sealed partial class VectorCollection : IDisposable
{
    /// <summary>
    /// A document filter that leaves fewer than this share of the rows is answered by scanning just
    /// those rows: exact, and cheaper than walking a graph where most nodes are rejected.
    /// </summary>
    public const double ExactFilterShare = 0.1;

    private readonly ReaderWriterLockSlim _lock = new();
    private readonly VectorStore _vectors;
    private readonly List<string> _chunkIds = [];
    private readonly List<string> _documentIds = [];
    private readonly List<long> _seqs = [];
    private readonly List<bool> _deleted = [];
    private readonly Dictionary<string, int> _liveByChunkId = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<int>> _byDocument = new(StringComparer.Ordinal);
    private HnswGraph? _graph;

    public VectorCollection(string modelId, int dimensions, int capacity = 16)
    {
        ModelId = modelId;
        _vectors = new VectorStore(dimensions, capacity);
    }

    public string ModelId { get; }

    public int Dimensions => _vectors.Dimensions;

    /// <summary>Rows including tombstones.</summary>
    public int Count => _vectors.Count;

    public int DeletedCount { get; private set; }

    public int LiveCount => Count - DeletedCount;

    public bool IsApproximate => _graph is not null;

    /// <summary>M and efConstruction of the graph, null without one.</summary>
    public HnswParameters? GraphParameters => _graph?.Parameters;

    /// <summary>Drops the graph (a snapshot built with other parameters): exact search answers until the owner builds a new one.</summary>
    public void DiscardGraph()
    {
        _lock.EnterWriteLock();
        try
        {
            _graph = null;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Highest chunk key of the organization this collection has seen (any model).</summary>
    public long CoveredSeq { get; set; }

    /// <summary>The organization's chunk count (all models) when last in step with the database; -1 forces a full check.</summary>
    public int OrganizationCount { get; set; } = -1;

    /// <summary>Adds a chunk; an older row of the same chunk id (re-ingested: same id, new key) becomes a tombstone.</summary>
    public void Add(long seq, string chunkId, string documentId, ReadOnlySpan<float> vector)
    {
        _lock.EnterWriteLock();
        try
        {
            AddUnlocked(seq, chunkId, documentId, vector);
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Tombstones every live row whose key is not in <paramref name="present"/>; returns how many.</summary>
    public int DeleteMissing(IReadOnlySet<long> present)
    {
        _lock.EnterWriteLock();
        try
        {
            var deleted = 0;
            for (var node = 0; node < Count; node++)
            {
                if (!_deleted[node] && !present.Contains(_seqs[node]))
                {
                    Tombstone(node);
                    deleted++;
                }
            }

            return deleted;
        }
        finally
        {
            _lock.ExitWriteLock();
        }
    }

    /// <summary>Keys of the live rows, to find rows the database has and this collection lacks.</summary>
    public HashSet<long> LiveSeqs()
    {
        _lock.EnterReadLock();
        try
        {
            var seqs = new HashSet<long>(LiveCount);
            for (var node = 0; node < Count; node++)
            {
                if (!_deleted[node])
                {
                    seqs.Add(_seqs[node]);
                }
            }

            return seqs;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public IndexHit[] Search(ReadOnlySpan<float> query, int topK, int efSearch, IReadOnlySet<string>? documentIds)
    {
        if (query.Length != Dimensions || topK <= 0)
        {
            return [];
        }

        _lock.EnterReadLock();
        try
        {
            if (documentIds is not null)
            {
                var rows = 0;
                foreach (var document in documentIds)
                {
                    rows += _byDocument.TryGetValue(document, out var nodes) ? nodes.Count : 0;
                }

                if (_graph is null || rows < ExactFilterShare * Count)
                {
                    return Exact(query, topK, documentIds.SelectMany(d => _byDocument.GetValueOrDefault(d) ?? []));
                }

                // Roughly 1/share of the visited nodes pass the filter, so widen the candidate list to match.
                var ef = (int)Math.Min(efSearch * (double)Count / Math.Max(rows, 1), efSearch * 10);
                return ToHits(_graph.Search(query, topK, ef, node => !_deleted[node] && documentIds.Contains(_documentIds[node])));
            }

            if (_graph is null)
            {
                return Exact(query, topK, Enumerable.Range(0, Count));
            }

            return ToHits(_graph.Search(query, topK, efSearch, DeletedCount == 0 ? null : node => !_deleted[node]));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>The exact answer, whatever the mode: the yardstick for recall.</summary>
    public IndexHit[] SearchExact(ReadOnlySpan<float> query, int topK)
    {
        _lock.EnterReadLock();
        try
        {
            return Exact(query, topK, Enumerable.Range(0, Count));
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    /// <summary>
    /// A new collection holding the live rows with a freshly built graph: the first build, or a
    /// compaction that drops tombstones. Runs without blocking searches or refreshes of this one;
    /// the caller then brings it level with <see cref="CatchUp"/> before swapping it in.
    /// </summary>
    public (VectorCollection Built, int[] SourceNodes, int Captured) BuildApproximate(HnswParameters parameters, CancellationToken ct)
    {
        int captured;
        int[] nodes;
        string[] chunks;
        string[] documents;
        long[] seqs;
        _lock.EnterReadLock();
        try
        {
            captured = Count;
            nodes = Enumerable.Range(0, captured).Where(n => !_deleted[n]).ToArray();
            chunks = nodes.Select(n => _chunkIds[n]).ToArray();
            documents = nodes.Select(n => _documentIds[n]).ToArray();
            seqs = nodes.Select(n => _seqs[n]).ToArray();
        }
        finally
        {
            _lock.ExitReadLock();
        }

        // Rows below the captured count never change, so they are read here without the lock.
        var built = new VectorCollection(ModelId, Dimensions, Math.Max(nodes.Length, 16));
        for (var i = 0; i < nodes.Length; i++)
        {
            if (i % 1024 == 0)
            {
                ct.ThrowIfCancellationRequested();
            }

            built.AddUnlocked(seqs[i], chunks[i], documents[i], _vectors[nodes[i]]);
        }

        // Nobody searches the new collection before it is returned, so the graph may link its rows on several threads.
        var graph = new HnswGraph(built._vectors, parameters);
        graph.AddRange(built.Count, parameters.BuildThreads, ct);
        built._graph = graph;
        return (built, nodes, captured);
    }

    /// <summary>
    /// Applies to <paramref name="built"/> what happened here since <see cref="BuildApproximate"/>
    /// captured the first <paramref name="captured"/> rows: rows added since, rows deleted since.
    /// The caller holds the writer's turn, so nothing changes here meanwhile.
    /// </summary>
    public void CatchUp(VectorCollection built, int[] sourceNodes, int captured)
    {
        _lock.EnterReadLock();
        try
        {
            for (var i = 0; i < sourceNodes.Length; i++)
            {
                if (_deleted[sourceNodes[i]] && !built._deleted[i])
                {
                    built.Tombstone(i);
                }
            }

            for (var node = captured; node < Count; node++)
            {
                if (!_deleted[node])
                {
                    built.AddUnlocked(_seqs[node], _chunkIds[node], _documentIds[node], _vectors[node]);
                }
            }

            built.CoveredSeq = CoveredSeq;
            built.OrganizationCount = OrganizationCount;
        }
        finally
        {
            _lock.ExitReadLock();
        }
    }

    public void Dispose() => _lock.Dispose();

    private void AddUnlocked(long seq, string chunkId, string documentId, ReadOnlySpan<float> vector)
    {
        if (_liveByChunkId.TryGetValue(chunkId, out var previous))
        {
            Tombstone(previous);
        }

        var node = _vectors.Add(vector);
        _chunkIds.Add(chunkId);
        _documentIds.Add(documentId);
        _seqs.Add(seq);
        _deleted.Add(false);
        _liveByChunkId[chunkId] = node;
        if (!_byDocument.TryGetValue(documentId, out var nodes))
        {
            _byDocument[documentId] = nodes = [];
        }

        nodes.Add(node);
        _graph?.Add();
    }

    private void Tombstone(int node)
    {
        _deleted[node] = true;
        DeletedCount++;
        if (_liveByChunkId.TryGetValue(_chunkIds[node], out var live) && live == node)
        {
            _liveByChunkId.Remove(_chunkIds[node]);
        }
    }

    private IndexHit[] Exact(ReadOnlySpan<float> query, int topK, IEnumerable<int> nodes)
    {
        // A min-heap of the best k so far: the root is the weakest and is replaced by anything better.
        var best = new PriorityQueue<int, float>(topK + 1);
        foreach (var node in nodes)
        {
            if (_deleted[node])
            {
                continue;
            }

            var score = TensorPrimitives.Dot(query, _vectors[node]);
            if (best.Count < topK)
            {
                best.Enqueue(node, score);
            }
            else if (best.TryPeek(out _, out var weakest) && score > weakest)
            {
                best.DequeueEnqueue(node, score);
            }
        }

        var hits = new IndexHit[best.Count];
        for (var n = hits.Length - 1; n >= 0; n--)
        {
            best.TryDequeue(out var node, out var score);
            hits[n] = new IndexHit(_chunkIds[node], _documentIds[node], score);
        }

        return hits;
    }

    private IndexHit[] ToHits(List<(int Node, float Score)> found) =>
        found.Select(f => new IndexHit(_chunkIds[f.Node], _documentIds[f.Node], f.Score)).ToArray();
}
