using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Search;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Search.Pgvector;

/// <summary>
/// Cosine search in PostgreSQL with pgvector (<see cref="PgvectorTable"/>). The chunks table stays the
/// source of truth, as for <see cref="InProcessVectorIndex"/>: before a search the organization's
/// highest chunk key and chunk count are read from it; when they differ from what this process last
/// saw, the store is brought level (rows above its highest key copied; a count that still differs,
/// from deletes, re-embedding or a row that committed late under a lower key, is settled by comparing
/// key sets). So every way chunks leave (document deletion, erasure, re-ingestion) leaves the store
/// too, and nodes need not tell each other anything. Document deletion also removes its vectors at
/// once (<see cref="PgvectorErasure"/>); results are read back from the chunks table in any case, so
/// a vector not yet removed never shows a deleted document.
/// </summary>
public sealed partial class PgvectorVectorIndex(
    PgvectorTable table,
    IServiceScopeFactory scopes,
    IOptions<PgvectorOptions> options,
    ILogger<PgvectorVectorIndex> logger) : IVectorIndex, IDisposable
{
    private const int BatchSize = 500;

    /// <summary>Chunks of an organization the store holds nothing of above which the first copy builds missing indexes after the rows.</summary>
    private const int BulkLoadAbove = 10_000;
    private readonly ConcurrentDictionary<string, Organization> _organizations = new(StringComparer.Ordinal);

    public async Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string modelId, ReadOnlyMemory<float> query, int topK, IReadOnlyCollection<string>? documentIds, CancellationToken ct)
    {
        if (topK <= 0)
        {
            return [];
        }

        var chunks = await SyncAsync(organizationId, ct);
        // A document filter names at most a hundred documents: their rows are few, and exact.
        var exact = documentIds is not null || chunks <= options.Value.ExactBelow;
        return await table.SearchAsync(organizationId, modelId, query, topK, documentIds, exact, ct);
    }

    /// <summary>Brings the organization's rows level with the chunks table; returns its chunk count.</summary>
    public async Task<int> SyncAsync(string organizationId, CancellationToken ct)
    {
        var organization = _organizations.GetOrAdd(organizationId, _ => new Organization());
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var chunks = db.Chunks.IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId);
        var source = (MaxSeq: await chunks.MaxAsync(c => (long?)c.Seq, ct) ?? 0, Count: await chunks.CountAsync(ct));
        if (organization.Seen == source)
        {
            return source.Count;
        }

        await organization.Writer.WaitAsync(ct);
        try
        {
            if (organization.Seen != source)
            {
                await ApplyChangesAsync(db, organizationId, source.MaxSeq, source.Count, ct);
                organization.Seen = source;
            }
        }
        finally
        {
            organization.Writer.Release();
        }

        return source.Count;
    }

    public void Dispose()
    {
        foreach (var organization in _organizations.Values)
        {
            organization.Dispose();
        }
    }

    private async Task ApplyChangesAsync(AppDbContext db, string organizationId, long maxSeq, int count, CancellationToken ct)
    {
        var chunks = db.Chunks.IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId);
        var (storedMax, stored) = await table.StatsAsync(organizationId, ct);
        var added = 0;
        if (storedMax < maxSeq)
        {
            // A large first load (switching an existing deployment to pgvector) builds missing graphs after the rows are in.
            var bulk = stored == 0 && count >= BulkLoadAbove;
            added = await CopyAsync(organizationId, chunks.Where(c => c.Seq > storedMax && c.Seq <= maxSeq), indexFirst: !bulk, ct);
            stored += added;
        }

        var deleted = 0;
        if (stored != count)
        {
            // Deleted chunks, or rows that committed late under a key already passed: compare key sets.
            var present = (await chunks.Where(c => c.Seq <= maxSeq).Select(c => c.Seq).ToListAsync(ct)).ToHashSet();
            var held = await table.SeqsAsync(organizationId, ct);
            var gone = held.Where(s => s <= maxSeq && !present.Contains(s)).ToList();
            foreach (var batch in gone.Chunk(10_000))
            {
                deleted += await table.DeleteAsync(organizationId, batch, ct);
            }

            present.ExceptWith(held);
            foreach (var batch in present.Chunk(BatchSize))
            {
                added += await CopyAsync(organizationId, chunks.Where(c => batch.Contains(c.Seq)), indexFirst: true, ct);
            }
        }

        if (added + deleted > 0)
        {
            LogApplied(logger, organizationId, added, deleted);
        }
    }

    private async Task<int> CopyAsync(string organizationId, IQueryable<Core.Ingestion.Chunk> rows, bool indexFirst, CancellationToken ct)
    {
        var batch = new List<VectorRow>(BatchSize);
        var shapes = new HashSet<(string Model, int Dimensions)>();
        var copied = 0;
        var query = rows.OrderBy(c => c.Seq).Select(c => new { c.Seq, c.Id, c.DocumentId, c.ModelId, c.Dimensions, c.Vector });
        await foreach (var row in query.AsAsyncEnumerable().WithCancellation(ct))
        {
            if (row.Vector.Length != row.Dimensions * sizeof(float) || row.Dimensions == 0)
            {
                continue;
            }

            batch.Add(new VectorRow(row.Seq, row.Id, row.DocumentId, row.ModelId, row.Dimensions, MemoryMarshal.Cast<byte, float>(row.Vector).ToArray()));
            shapes.Add((row.ModelId, row.Dimensions));
            if (batch.Count == BatchSize)
            {
                await table.InsertAsync(organizationId, batch, indexFirst, ct);
                copied += batch.Count;
                batch.Clear();
            }
        }

        await table.InsertAsync(organizationId, batch, indexFirst, ct);
        foreach (var (model, dimensions) in shapes)
        {
            await table.EnsureIndexAsync(model, dimensions, ct);
        }

        return copied + batch.Count;
    }

    /// <summary>What this process last saw of an organization in the chunks table, and the turn to bring the store level.</summary>
    private sealed class Organization : IDisposable
    {
        public readonly SemaphoreSlim Writer = new(1, 1);

        public (long MaxSeq, int Count) Seen = (-1, -1);

        public void Dispose() => Writer.Dispose();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "pgvector store {OrganizationId}: +{Added} -{Deleted} rows")]
    private static partial void LogApplied(ILogger logger, string organizationId, int added, int deleted);
}
