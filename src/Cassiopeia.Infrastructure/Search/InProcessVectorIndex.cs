using System.Collections.Concurrent;
using System.Data.Common;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Core.Search;
using Cassiopeia.Infrastructure.Search.Hnsw;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Search;

/// <summary>
/// Cosine search over an organization's vectors held in memory (<see cref="VectorCollection"/>):
/// an exact SIMD scan while the organization is small, an HNSW graph once it holds more than
/// <see cref="SearchOptions.ApproximateAbove"/> vectors. The database stays the source of truth.
/// Each search asks it for the organization's highest chunk key (one probe of the
/// (OrganizationId, Seq) index) and adds the rows above the key it covers. Deletes show as a chunk
/// count lower than expected and are found by comparing key sets; counting is cheap for a small
/// organization (every search) but not for a large one (every <see cref="SearchOptions.DeleteCheckInterval"/>,
/// in the background). A graph is built (and rebuilt when tombstones pile up) in the background while the
/// previous collection keeps answering, and is kept on disk (<see cref="VectorSnapshotFile"/>).
/// </summary>
public sealed partial class InProcessVectorIndex(
    IServiceScopeFactory scopes,
    IOptions<SearchOptions> options,
    IOptions<DataDirectoryOptions> data,
    ILogger<InProcessVectorIndex> logger) : IVectorIndex, IDisposable
{
    private readonly ConcurrentDictionary<(string Organization, string Model), VectorIndexSlot> _slots = new();
    private readonly CancellationTokenSource _stopping = new();
    private int _disposed;
    private readonly SearchOptions _options = options.Value;

    public async Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string modelId, ReadOnlyMemory<float> query, int topK, IReadOnlyCollection<string>? documentIds, CancellationToken ct)
    {
        if (topK <= 0)
        {
            return [];
        }

        var slot = _slots.GetOrAdd((organizationId, modelId), _ => new VectorIndexSlot());
        // The first search waits for the load; later ones skip the check while another request
        // applies a change and answer from the collection as it was a moment before.
        if (slot.Current is null)
        {
            await slot.Writer.WaitAsync(ct);
        }
        else if (!await slot.Writer.WaitAsync(0, ct))
        {
            return Search(slot.Current, query, topK, documentIds);
        }

        var countNow = true;
        try
        {
            // A large organization looks for new keys on every search but counts (to find deletes)
            // only now and then, and off the request's path.
            countNow = slot.Current is not { } known || known.LiveCount <= _options.ApproximateAbove;
            await SyncAsync(slot, organizationId, modelId, query.Length, countNow, ct);
        }
        finally
        {
            slot.Writer.Release();
        }

        if (!countNow && Stopwatch.GetElapsedTime(Volatile.Read(ref slot.CountedAt)) > _options.DeleteCheckInterval)
        {
            Volatile.Write(ref slot.CountedAt, Stopwatch.GetTimestamp());
            _ = Task.Run(() => CheckDeletesAsync(slot, organizationId, modelId, query.Length), CancellationToken.None);
        }

        return slot.Current is { } current ? Search(current, query, topK, documentIds) : [];
    }

    private async Task CheckDeletesAsync(VectorIndexSlot slot, string organizationId, string modelId, int dimensions)
    {
        try
        {
            await slot.Writer.WaitAsync(_stopping.Token);
            try
            {
                await SyncAsync(slot, organizationId, modelId, dimensions, count: true, _stopping.Token);
            }
            finally
            {
                slot.Writer.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or DbException)
        {
            LogCheckFailed(logger, e, organizationId, modelId);
        }
    }

    /// <summary>The collection of an organization as this process holds it, for measurements.</summary>
    public VectorCollection? Peek(string organizationId, string modelId) =>
        _slots.TryGetValue((organizationId, modelId), out var slot) ? slot.Current : null;

    public void Dispose()
    {
        // Registered under two service types, so the container may dispose it twice.
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        _stopping.Cancel();
        _stopping.Dispose();
    }

    private IndexHit[] Search(VectorCollection collection, ReadOnlyMemory<float> query, int topK, IReadOnlyCollection<string>? documentIds) =>
        collection.Search(query.Span, topK, _options.EfSearchFor(topK, collection.Count), documentIds switch
        {
            null => null,
            IReadOnlySet<string> set => set,
            _ => new HashSet<string>(documentIds, StringComparer.Ordinal),
        });

    private string SnapshotPath(string organizationId, string modelId) =>
        VectorSnapshotFile.PathFor(data.Value.Resolve("indexes"), organizationId, modelId);

    /// <summary>Brings the slot's collection level with the database. Runs in the writer's turn.</summary>
    /// <param name="count">Count the organization's chunks to detect deletes; otherwise only new keys are looked for.</param>
    private async Task SyncAsync(VectorIndexSlot slot, string organizationId, string modelId, int dimensions, bool count, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var chunks = db.Chunks.IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId);
        var maxSeq = await chunks.MaxAsync(c => (long?)c.Seq, ct) ?? 0;

        var collection = slot.Current;
        if (collection is null || collection.Dimensions != dimensions)
        {
            collection = LoadSnapshot(organizationId, modelId, dimensions) ?? new VectorCollection(modelId, dimensions) { OrganizationCount = 0 };
            count = true;
        }

        int? counted = count ? await chunks.CountAsync(ct) : null;
        if (count)
        {
            Volatile.Write(ref slot.CountedAt, Stopwatch.GetTimestamp());
        }

        if (collection.CoveredSeq != maxSeq || (counted is { } n && collection.OrganizationCount != n))
        {
            var started = Stopwatch.GetTimestamp();
            var (added, deleted) = await ApplyChangesAsync(collection, db, organizationId, modelId, maxSeq, counted, ct);
            if (added + deleted > 0)
            {
                Interlocked.Add(ref slot.ChangesSinceSnapshot, added + deleted);
                var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                LogApplied(logger, organizationId, modelId, added, deleted, collection.LiveCount, elapsed);
            }
        }

        slot.Current = collection;
        if (NeedsBuild(collection) && Interlocked.Exchange(ref slot.Building, 1) == 0)
        {
            // Not the request's token: the build outlives the search that noticed the need.
            _ = Task.Run(() => BuildAsync(slot, organizationId, collection), CancellationToken.None);
        }
        else if (collection.IsApproximate && _options.PersistSnapshots && slot.ChangesSinceSnapshot >= _options.SnapshotAfterChanges && Interlocked.Exchange(ref slot.Building, 1) == 0)
        {
            _ = Task.Run(() => SnapshotAsync(slot, organizationId), CancellationToken.None);
        }
    }

    /// <summary>
    /// Adds the rows above the covered key; when the count still disagrees (deletes, or a row that
    /// committed late under a lower key) compares the key sets and fixes both ways.
    /// </summary>
    private static async Task<(int Added, int Deleted)> ApplyChangesAsync(VectorCollection collection, AppDbContext db, string organizationId, string modelId, long maxSeq, int? count, CancellationToken ct)
    {
        var chunks = db.Chunks.IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId);
        var covered = collection.CoveredSeq;
        var seen = 0;
        var added = 0;
        // Rows of other models are counted (the count is organization-wide) but their vectors are not read.
        var fresh = chunks.Where(c => c.Seq > covered && c.Seq <= maxSeq).OrderBy(c => c.Seq)
            .Select(c => new Row(c.Seq, c.Id, c.DocumentId, c.Dimensions, c.ModelId == modelId ? c.Vector : null));
        await foreach (var row in fresh.AsAsyncEnumerable().WithCancellation(ct))
        {
            seen++;
            added += Add(collection, row) ? 1 : 0;
        }

        collection.CoveredSeq = Math.Max(covered, maxSeq);
        var deleted = 0;
        if (count is null)
        {
            // Not counted this time: assume no deletes; the next count corrects it.
            collection.OrganizationCount += seen;
            return (added, deleted);
        }

        if (collection.OrganizationCount < 0 || collection.OrganizationCount + seen != count)
        {
            var present = (await chunks.Where(c => c.ModelId == modelId && c.Seq <= maxSeq).Select(c => c.Seq).ToListAsync(ct)).ToHashSet();
            deleted = collection.DeleteMissing(present);
            present.ExceptWith(collection.LiveSeqs());
            foreach (var batch in present.Chunk(500))
            {
                var late = chunks.Where(c => batch.Contains(c.Seq)).OrderBy(c => c.Seq)
                    .Select(c => new Row(c.Seq, c.Id, c.DocumentId, c.Dimensions, c.Vector));
                await foreach (var row in late.AsAsyncEnumerable().WithCancellation(ct))
                {
                    added += Add(collection, row) ? 1 : 0;
                }
            }
        }

        collection.OrganizationCount = count.Value;
        return (added, deleted);
    }

    private static bool Add(VectorCollection collection, Row row)
    {
        if (row.Vector is null || row.Dimensions != collection.Dimensions)
        {
            return false;
        }

        collection.Add(row.Seq, row.Id, row.DocumentId, MemoryMarshal.Cast<byte, float>(row.Vector));
        return true;
    }

    private bool NeedsBuild(VectorCollection collection) => collection.IsApproximate
        ? collection.DeletedCount > _options.CompactAbove * collection.Count
        : collection.LiveCount > _options.ApproximateAbove;

    private VectorCollection? LoadSnapshot(string organizationId, string modelId, int dimensions)
    {
        if (!_options.PersistSnapshots)
        {
            return null;
        }

        var started = Stopwatch.GetTimestamp();
        var (collection, reason) = VectorSnapshotFile.TryLoad(SnapshotPath(organizationId, modelId), organizationId, modelId);
        if (collection is not null && collection.Dimensions != dimensions)
        {
            (collection, reason) = (null, "other dimensions");
        }

        if (collection is null)
        {
            LogSnapshotRejected(logger, organizationId, modelId, reason);
            return null;
        }

        // The snapshot's own count is not trusted: the first sync compares key sets with the database.
        collection.OrganizationCount = -1;
        if (collection.GraphParameters is { } built && !SameShape(built, HnswGraph.Effective(_options.Hnsw)))
        {
            // Its rows are still good; the graph is rebuilt in the background with the configured shape.
            LogGraphReshaped(logger, organizationId, modelId, built.M, built.EfConstruction, _options.M, _options.EfConstruction);
            collection.DiscardGraph();
        }

        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        LogSnapshotLoaded(logger, organizationId, modelId, collection.Count, collection.CoveredSeq, elapsed);
        return collection;
    }

    /// <summary>Builds the graph (or compacts it) off to the side, then swaps it in within the writer's turn.</summary>
    private async Task BuildAsync(VectorIndexSlot slot, string organizationId, VectorCollection source)
    {
        try
        {
            var started = Stopwatch.GetTimestamp();
            var (built, nodes, captured) = source.BuildApproximate(_options.Hnsw, _stopping.Token);
            var buildSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
            await slot.Writer.WaitAsync(_stopping.Token);
            try
            {
                source.CatchUp(built, nodes, captured);
                var heapMiB = GC.GetTotalMemory(forceFullCollection: false) / (1 << 20);
                LogBuilt(logger, organizationId, source.ModelId, built.LiveCount, source.DeletedCount, buildSeconds, heapMiB);
                // Saved before the swap, so a graph in use is also a graph on disk; searches meanwhile use the source.
                if (_options.PersistSnapshots)
                {
                    TrySave(slot, organizationId, built);
                }

                slot.Current = built;
            }
            finally
            {
                slot.Writer.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        catch (Exception e) when (e is InvalidOperationException or OutOfMemoryException)
        {
            LogBuildFailed(logger, e, organizationId, source.ModelId);
        }
        finally
        {
            Volatile.Write(ref slot.Building, 0);
        }
    }

    private async Task SnapshotAsync(VectorIndexSlot slot, string organizationId)
    {
        try
        {
            await slot.Writer.WaitAsync(_stopping.Token);
            try
            {
                if (slot.Current is { IsApproximate: true } current)
                {
                    TrySave(slot, organizationId, current);
                }
            }
            finally
            {
                slot.Writer.Release();
            }
        }
        catch (OperationCanceledException) when (_stopping.IsCancellationRequested)
        {
        }
        finally
        {
            Volatile.Write(ref slot.Building, 0);
        }
    }

    /// <summary>A snapshot that cannot be written costs a rebuild after the next restart, nothing more.</summary>
    private void TrySave(VectorIndexSlot slot, string organizationId, VectorCollection collection)
    {
        var started = Stopwatch.GetTimestamp();
        var path = SnapshotPath(organizationId, collection.ModelId);
        try
        {
            VectorSnapshotFile.Save(path, organizationId, collection);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            LogSaveFailed(logger, e, organizationId, collection.ModelId);
            return;
        }

        Volatile.Write(ref slot.ChangesSinceSnapshot, 0);
        var elapsed = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        var miB = new FileInfo(path).Length / (1 << 20);
        LogSaved(logger, organizationId, collection.ModelId, collection.Count, miB, elapsed);
    }

    private static bool SameShape(HnswParameters a, HnswParameters b) => a.M == b.M && a.EfConstruction == b.EfConstruction;

    private sealed record Row(long Seq, string Id, string DocumentId, int Dimensions, byte[]? Vector);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Vector index {OrganizationId}/{ModelId}: +{Added} -{Deleted} rows, {Live} live, in {Milliseconds:F1} ms")]
    private static partial void LogApplied(ILogger logger, string organizationId, string modelId, int added, int deleted, int live, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vector index {OrganizationId}/{ModelId}: snapshot not used ({Reason}); loading from the database")]
    private static partial void LogSnapshotRejected(ILogger logger, string organizationId, string modelId, string reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vector index {OrganizationId}/{ModelId}: snapshot of {Rows} rows up to key {CoveredSeq} loaded in {Milliseconds:F0} ms")]
    private static partial void LogSnapshotLoaded(ILogger logger, string organizationId, string modelId, int rows, long coveredSeq, double milliseconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vector index {OrganizationId}/{ModelId}: snapshot graph has M {M} / efConstruction {EfConstruction}, configured {ConfiguredM} / {ConfiguredEfConstruction}; rebuilding it")]
    private static partial void LogGraphReshaped(ILogger logger, string organizationId, string modelId, int m, int efConstruction, int configuredM, int configuredEfConstruction);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vector index {OrganizationId}/{ModelId}: HNSW graph over {Live} vectors ({Dropped} tombstones dropped) built in {Seconds:F1} s; managed heap {HeapMiB} MiB")]
    private static partial void LogBuilt(ILogger logger, string organizationId, string modelId, int live, int dropped, double seconds, long heapMiB);

    [LoggerMessage(Level = LogLevel.Information, Message = "Vector index {OrganizationId}/{ModelId}: snapshot of {Rows} rows written ({MiB} MiB) in {Milliseconds:F0} ms")]
    private static partial void LogSaved(ILogger logger, string organizationId, string modelId, int rows, long miB, double milliseconds);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vector index {OrganizationId}/{ModelId}: background check for deleted chunks failed; the next search retries")]
    private static partial void LogCheckFailed(ILogger logger, Exception exception, string organizationId, string modelId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Vector index {OrganizationId}/{ModelId}: snapshot not written; the next start rebuilds")]
    private static partial void LogSaveFailed(ILogger logger, Exception exception, string organizationId, string modelId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Vector index {OrganizationId}/{ModelId}: graph build failed; exact search continues")]
    private static partial void LogBuildFailed(ILogger logger, Exception exception, string organizationId, string modelId);
}
