using System.Threading.Channels;
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
}

/// <summary>
/// Saves new documents with their ingestion jobs, letting uploads that finish at the same moment
/// share one transaction (group commit): while one batch commits, the next collects. A batch holds
/// the documents of one organization; if it fails as a whole (a duplicate among them), each
/// document is saved on its own so that each upload gets its own answer. Nothing waits for company:
/// a lone upload is saved at once. Written by hand because EF Core has no batching across units of
/// work, and the outbox (document and job in one transaction) must hold for every document.
/// </summary>
public sealed class DocumentInserts(IServiceScopeFactory scopes) : IAsyncDisposable
{
    private const int MaxBatch = 64;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _writer;

    private sealed record Pending(Document Document, IngestionJob Job, UsageEvent? Usage, TaskCompletionSource<InsertOutcome> Done);

    /// <summary>
    /// Saves <paramref name="document"/>, <paramref name="job"/> and the upload's <paramref name="usage"/> event together. Not cancellable on
    /// purpose: once handed over, the outcome is waited for, so a caller never mistakes a saved
    /// document for a failed one (and deletes its file).
    /// </summary>
    public Task<InsertOutcome> InsertAsync(Document document, IngestionJob job, UsageEvent? usage = null)
    {
        var pending = new Pending(document, job, usage, new TaskCompletionSource<InsertOutcome>(TaskCreationOptions.RunContinuationsAsynchronously));
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
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            foreach (var group in batch.GroupBy(p => p.Document.OrganizationId, StringComparer.Ordinal))
            {
                await SaveAsync([.. group]);
            }

            batch.Clear();
        }
    }

    private async Task SaveAsync(IReadOnlyList<Pending> group)
    {
        try
        {
            if (await SaveTogetherAsync(group))
            {
                foreach (var item in group)
                {
                    item.Done.TrySetResult(InsertOutcome.Inserted);
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

        if (group.Count == 1)
        {
            group[0].Done.TrySetResult(InsertOutcome.Duplicate);
            return;
        }

        foreach (var item in group)
        {
            try
            {
                item.Done.TrySetResult(await SaveTogetherAsync([item]) ? InsertOutcome.Inserted : InsertOutcome.Duplicate);
            }
            catch (Exception e)
            {
                item.Done.TrySetException(e);
            }
        }
    }

    /// <summary>True when saved; false when a unique index refused it (the same bytes are already a document).</summary>
    private async Task<bool> SaveTogetherAsync(IReadOnlyList<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(group[0].Document.OrganizationId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        foreach (var item in group)
        {
            db.Documents.Add(item.Document);
            db.IngestionJobs.Add(item.Job);
            if (item.Usage is not null)
            {
                // A copy each time: a failed batch must not leave a key it was given on the event retried alone.
                db.UsageEvents.Add(item.Usage.Copy());
            }
        }

        try
        {
            await db.SaveChangesAsync(CancellationToken.None);
            return true;
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return false;
        }
    }
}
