using System.Collections.Concurrent;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.Infrastructure.Search;

/// <summary>
/// Exact cosine search over an organization's vectors held in memory as one contiguous matrix and
/// scanned with SIMD dot products. The vectors are persisted with the chunks in the database, which
/// stays the source of truth: each search compares the organization's chunk count and highest key
/// with those the matrix was built from and reloads it when another writer (this process, a worker
/// process, a delete) changed anything. Exact search over a few hundred thousand vectors per
/// organization takes milliseconds; an approximate index (pgvector HNSW) comes with scale-out.
/// </summary>
public sealed class InProcessVectorIndex(IServiceScopeFactory scopes) : IVectorIndex, IDisposable
{
    private readonly ConcurrentDictionary<(string Organization, string Model), Matrix> _matrices = new();
    private readonly SemaphoreSlim _loading = new(1, 1);

    public async Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string modelId, ReadOnlyMemory<float> query, int topK, IReadOnlyCollection<string>? documentIds, CancellationToken ct)
    {
        if (topK <= 0)
        {
            return [];
        }

        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var chunks = db.Chunks.IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId && c.ModelId == modelId);
        var version = new Version(await chunks.CountAsync(ct), await chunks.MaxAsync(c => (long?)c.Seq, ct) ?? 0);
        var key = (organizationId, modelId);
        if (!_matrices.TryGetValue(key, out var matrix) || matrix.Version != version)
        {
            await _loading.WaitAsync(ct);
            try
            {
                if (!_matrices.TryGetValue(key, out matrix) || matrix.Version != version)
                {
                    matrix = await LoadAsync(chunks, version, ct);
                    _matrices[key] = matrix;
                }
            }
            finally
            {
                _loading.Release();
            }
        }

        return matrix.Search(query.Span, topK, documentIds is null ? null : new HashSet<string>(documentIds, StringComparer.Ordinal));
    }

    public void Dispose() => _loading.Dispose();

    private static async Task<Matrix> LoadAsync(IQueryable<Core.Ingestion.Chunk> chunks, Version version, CancellationToken ct)
    {
        var rows = await chunks.OrderBy(c => c.Seq).Select(c => new { c.Id, c.DocumentId, c.Dimensions, c.Vector }).ToListAsync(ct);
        var dimensions = rows.Count == 0 ? 0 : rows[0].Dimensions;
        var values = new float[rows.Count * dimensions];
        var ids = new string[rows.Count];
        var documents = new string[rows.Count];
        for (var i = 0; i < rows.Count; i++)
        {
            MemoryMarshal.Cast<byte, float>(rows[i].Vector).CopyTo(values.AsSpan(i * dimensions, dimensions));
            ids[i] = rows[i].Id;
            documents[i] = rows[i].DocumentId;
        }

        return new Matrix(version, dimensions, values, ids, documents);
    }

    private sealed record Version(int Count, long MaxSeq);

    private sealed class Matrix(Version version, int dimensions, float[] values, string[] ids, string[] documents)
    {
        public Version Version => version;

        public IndexHit[] Search(ReadOnlySpan<float> query, int topK, HashSet<string>? documentIds)
        {
            if (ids.Length == 0 || query.Length != dimensions)
            {
                return [];
            }

            // A min-heap of the best k so far: the root is the weakest and is replaced by anything better.
            var best = new PriorityQueue<int, float>(topK + 1);
            for (var i = 0; i < ids.Length; i++)
            {
                if (documentIds is not null && !documentIds.Contains(documents[i]))
                {
                    continue;
                }

                var score = TensorPrimitives.Dot(query, values.AsSpan(i * dimensions, dimensions));
                if (best.Count < topK)
                {
                    best.Enqueue(i, score);
                }
                else if (best.TryPeek(out _, out var weakest) && score > weakest)
                {
                    best.DequeueEnqueue(i, score);
                }
            }

            var hits = new IndexHit[best.Count];
            for (var n = hits.Length - 1; n >= 0; n--)
            {
                best.TryDequeue(out var i, out var score);
                hits[n] = new IndexHit(ids[i], documents[i], score);
            }

            return hits;
        }
    }
}
