using System.Threading.Channels;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Jobs;
using Cassiopeia.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.Core.Documents;

/// <summary>How one document's insert ended.</summary>
public enum InsertOutcome
{
    Inserted,

    /// <summary>The organization already holds these bytes (the unique SHA-256 index said so).</summary>
    Duplicate,

    /// <summary>The plan's documents (or pages) for this period are used up; nothing was saved.</summary>
    QuotaExceeded,
}

/// <summary>How one document's insert ended, with the quota problem when it was refused for quota.</summary>
public sealed record InsertResult(InsertOutcome Outcome, Error? QuotaError = null)
{
    public static readonly InsertResult Inserted = new(InsertOutcome.Inserted);

    public static readonly InsertResult Duplicate = new(InsertOutcome.Duplicate);
}

/// <summary>
/// Saves new documents with their ingestion jobs, letting uploads that finish at the same moment
/// share one transaction (group commit): while one batch commits, the next collects, and uploads that
/// finish while a batch waits for the database's write lock still join it. A batch holds
/// the documents of one organization; if it fails as a whole (a duplicate among them), each
/// document is saved on its own so that each upload gets its own answer. Nothing waits for company:
/// a lone upload is saved at once. The documents quota is taken in the same transaction (one
/// conditional update for the batch, so a batch that does not fit is retried document by document
/// and exactly the documents that fit are saved) and nothing needs giving back when a save fails.
/// Written by hand because EF Core has no batching across units of work, and the outbox (document
/// and job in one transaction) must hold for every document.
/// </summary>
public sealed class DocumentInserts(IServiceScopeFactory scopes) : IAsyncDisposable
{
    private const int MaxBatch = 64;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _writer;

    private sealed record Pending(Document Document, IngestionJob Job, UsageEvent? Usage, TaskCompletionSource<InsertResult> Done);

    /// <summary>
    /// Saves <paramref name="document"/>, <paramref name="job"/> and the upload's <paramref name="usage"/> event together. Not cancellable on
    /// purpose: once handed over, the outcome is waited for, so a caller never mistakes a saved
    /// document for a failed one (and deletes its file).
    /// </summary>
    public Task<InsertResult> InsertAsync(Document document, IngestionJob job, UsageEvent? usage = null)
    {
        var pending = new Pending(document, job, usage, new TaskCompletionSource<InsertResult>(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);

        lock (_startLock)
        {
            _writer ??= Task.Run(WriteAsync);
        }

        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }
    }

    private async Task WriteAsync()
    {
        // Uploads of organizations other than the one being saved wait here, in order, for a later round.
        var waiting = new Queue<Pending>();
        while (waiting.Count > 0 || await _pending.Reader.WaitToReadAsync())
        {
            if (!waiting.TryDequeue(out var first) && !_pending.Reader.TryRead(out first))
            {
                continue;
            }

            var group = new List<Pending>(MaxBatch) { first };
            Gather(group, waiting);
            await SaveAsync(group, () => Gather(group, waiting));
        }
    }

    /// <summary>
    /// Moves uploads of the group's organization that are waiting (in <paramref name="waiting"/> or the
    /// channel) into <paramref name="group"/>, up to <see cref="MaxBatch"/>; others keep their order in
    /// <paramref name="waiting"/>. Called again once the transaction holds the write lock, so uploads
    /// that finished while it waited for the lock ride along instead of waiting for the next round.
    /// </summary>
    private void Gather(List<Pending> group, Queue<Pending> waiting)
    {
        var organizationId = group[0].Document.OrganizationId;
        for (var n = waiting.Count; n > 0; n--)
        {
            var item = waiting.Dequeue();
            if (group.Count < MaxBatch && item.Document.OrganizationId == organizationId)
            {
                group.Add(item);
            }
            else
            {
                waiting.Enqueue(item);
            }
        }

        // Look at a bounded number, so that a flood from other organizations cannot keep this round reading.
        for (var looked = 0; group.Count < MaxBatch && looked < 4 * MaxBatch && _pending.Reader.TryRead(out var next); looked++)
        {
            if (next.Document.OrganizationId == organizationId)
            {
                group.Add(next);
            }
            else
            {
                waiting.Enqueue(next);
            }
        }
    }

    /// <summary>Saves <paramref name="group"/> (which <paramref name="gather"/> may grow once the transaction holds the lock), and answers each upload.</summary>
    private async Task SaveAsync(List<Pending> group, Action gather)
    {
        try
        {
            var together = await SaveTogetherAsync(group, gather);
            if (together.Outcome == InsertOutcome.Inserted || group.Count == 1)
            {
                foreach (var item in group)
                {
                    item.Done.TrySetResult(together);
                }

                return;
            }
        }
        catch (Exception e) when (group.Count == 1)
        {
            group[0].Done.TrySetException(e);
            return;
        }
        catch (Exception)
        {
            // Below: each on its own, so that the fault stays with the document that caused it.
        }

        // A duplicate among them, a fault, or fewer documents left in the quota than the batch holds.
        foreach (var item in group)
        {
            try
            {
                item.Done.TrySetResult(await SaveTogetherAsync([item], gather: null));
            }
            catch (Exception e)
            {
                item.Done.TrySetException(e);
            }
        }
    }

    private async Task<InsertResult> SaveTogetherAsync(List<Pending> group, Action? gather)
    {
        await using var scope = scopes.CreateAsyncScope();
        var organizationId = group[0].Document.OrganizationId;
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(organizationId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var quotas = scope.ServiceProvider.GetRequiredService<Quotas>();

        // Pages are counted when ingestion finishes; an upload is refused only when none are left. A
        // read, so it runs before the transaction: on SQLite the single write lock is not held for it.
        if (await quotas.EnsureAvailableAsync(organizationId, Metrics.PagesIngested, CancellationToken.None) is { } noPages)
        {
            return new InsertResult(InsertOutcome.QuotaExceeded, noPages);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        gather?.Invoke();

        // The write comes first, so that on SQLite the transaction holds the write lock from its first statement.
        var reserved = await quotas.ReserveAsync(organizationId, Metrics.Documents, group.Count, CancellationToken.None);
        if (!reserved.Succeeded)
        {
            return new InsertResult(InsertOutcome.QuotaExceeded, reserved.Error);
        }

        try
        {
            // One statement per table for the whole group (documents before their jobs, for the foreign
            // key), and one usage event per member and key: new rows each time, so a failed batch leaves
            // nothing on a document or event retried alone.
            await db.InsertManyAsync(group.Select(p => p.Document).ToList(), CancellationToken.None);
            await db.InsertManyAsync(group.Select(p => p.Job).ToList(), CancellationToken.None);
            await db.InsertManyAsync(UsageEvent.Combine(group.Where(p => p.Usage is not null).Select(p => p.Usage!)).ToList(), CancellationToken.None);
            await transaction.CommitAsync(CancellationToken.None);
            return InsertResult.Inserted;
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            // Rolled back with the transaction, the quota taken for the batch included.
            return InsertResult.Duplicate;
        }
    }
}
