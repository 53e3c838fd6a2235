using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Jobs;

/// <summary>
/// The ingestion job queue on the application's own database. Written by hand rather than taken
/// from a job library: enqueuing must share the document's transaction (outbox) through our
/// DbContext on both SQLite and PostgreSQL, which none of the libraries on offer does for SQLite.
/// Claims are conditional updates, atomic on both providers, so any number of workers in any
/// number of processes can poll the same table; a lease token changes with every claim and
/// guards every later write of the holder.
/// </summary>
public sealed class IngestionQueue(AppDbContext db, TimeProvider time, DocumentEvents events)
{
    /// <summary>Adds the job for a new document to the caller's unit of work (saved with the document).</summary>
    public IngestionJob Enqueue(string organizationId, string documentId, string? traceParent)
    {
        var job = NewJob(organizationId, documentId, traceParent, time.GetUtcNow().UtcDateTime);
        db.IngestionJobs.Add(job);
        return job;
    }

    /// <summary>The job for a new document, due at once; the caller saves it with the document.</summary>
    public static IngestionJob NewJob(string organizationId, string documentId, string? traceParent, DateTime now) => new()
    {
        Id = Ids.New("job"),
        OrganizationId = organizationId,
        DocumentId = documentId,
        State = JobStates.Pending,
        RunAfterUtc = now,
        TraceParent = traceParent,
        CreatedUtc = now,
        UpdatedUtc = now,
    };

    /// <summary>
    /// Claims up to <paramref name="max"/> due jobs: pending ones whose time has come and running ones
    /// whose lease expired; none unless at least <c>minimum</c> are due. The claims and
    /// their documents' move to <c>processing</c> share one transaction of three statements, however
    /// many jobs it claims.
    /// </summary>
    public Task<IReadOnlyList<LeasedJob>> ClaimAsync(int max, TimeSpan lease, CancellationToken ct) => ClaimAsync(max, 1, lease, ct);

    /// <inheritdoc cref="ClaimAsync(int, TimeSpan, CancellationToken)"/>
    public async Task<IReadOnlyList<LeasedJob>> ClaimAsync(int max, int minimum, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;

        // Two simple queries rather than one with OR: each is an index seek on (State, RunAfterUtc)
        // instead of a scan and sort of the whole backlog.
        var candidates = await db.IngestionJobs.AsNoTracking()
            .Where(j => j.State == JobStates.Pending && j.RunAfterUtc <= now)
            .OrderBy(j => j.RunAfterUtc)
            .Select(j => j.Id)
            .Take(max * 2)
            .ToListAsync(ct);
        if (candidates.Count < max)
        {
            candidates.AddRange(await db.IngestionJobs.AsNoTracking()
                .Where(j => j.State == JobStates.Running && j.LeaseExpiresUtc < now)
                .OrderBy(j => j.LeaseExpiresUtc)
                .Select(j => j.Id)
                .Take(max)
                .ToListAsync(ct));
        }

        if (candidates.Count == 0 || candidates.Count < minimum)
        {
            return [];
        }

        var token = Guid.NewGuid().ToString("N");
        var expires = now + lease;
        var distinct = candidates.Distinct(StringComparer.Ordinal).ToList();
        List<string> ids = [];
        List<LeasedJob> claimed = [];
        // Competing workers see the same oldest candidates: whoever lost the first slice tries the next.
        for (var offset = 0; offset < distinct.Count && claimed.Count == 0; offset += max)
        {
            ids = distinct.GetRange(offset, Math.Min(max, distinct.Count - offset));
            claimed = await ClaimSliceAsync(ids, token, now, expires, ct);
        }

        if (claimed.Count == 0)
        {
            return [];
        }

        // Oldest first, as they were found.
        var order = ids.Select((id, i) => (id, i)).ToDictionary(p => p.id, p => p.i, StringComparer.Ordinal);
        claimed.Sort((a, b) => order[a.Id].CompareTo(order[b.Id]));

        foreach (var job in claimed)
        {
            events.StatusChanged(job.DocumentId);
        }

        return claimed;
    }

    /// <summary>
    /// One conditional update claims every job of <paramref name="ids"/> still claimable under one fresh
    /// lease token (a job another worker took meanwhile no longer matches), the token finds what was
    /// won, and their documents move to <c>processing</c>: three statements in one transaction.
    /// </summary>
    private async Task<List<LeasedJob>> ClaimSliceAsync(List<string> ids, string token, DateTime now, DateTime expires, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var won = await db.IngestionJobs
            .Where(j => ids.Contains(j.Id) && ((j.State == JobStates.Pending && j.RunAfterUtc <= now) || (j.State == JobStates.Running && j.LeaseExpiresUtc < now)))
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.State, JobStates.Running)
                    .SetProperty(j => j.LeaseToken, token)
                    .SetProperty(j => j.LeaseExpiresUtc, expires)
                    .SetProperty(j => j.Attempts, j => j.Attempts + 1)
                    .SetProperty(j => j.UpdatedUtc, now),
                ct);
        if (won == 0)
        {
            return [];
        }

        var claimed = await db.IngestionJobs.AsNoTracking()
            .Where(j => ids.Contains(j.Id) && j.LeaseToken == token)
            .Select(j => new LeasedJob(j.Id, j.OrganizationId, j.DocumentId, j.Attempts, token, expires, j.TraceParent))
            .ToListAsync(ct);
        var documentIds = claimed.ConvertAll(j => j.DocumentId);
        await db.Documents.IgnoreQueryFilters()
            .Where(d => documentIds.Contains(d.Id) && d.Status != DocumentStatuses.Processing)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DocumentStatuses.Processing).SetProperty(d => d.UpdatedUtc, now), ct);
        await transaction.CommitAsync(ct);
        return claimed;
    }

    /// <summary>Extends the lease; false when the job is no longer this holder's (expired and re-claimed, or deleted).</summary>
    public async Task<bool> HeartbeatAsync(LeasedJob job, TimeSpan lease, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await Held(job).ExecuteUpdateAsync(s => s.SetProperty(j => j.LeaseExpiresUtc, now + lease), ct) == 1;
    }

    /// <summary>Marks the job done; false when the lease was lost. Call inside the transaction that writes the results.</summary>
    public async Task<bool> CompleteAsync(LeasedJob job, CancellationToken ct) => await CompleteAsync([job], ct) == 1;

    /// <summary>
    /// Marks the jobs done, one statement per lease token (a batch comes from one claim, so usually
    /// one); returns how many were still held. Call inside the transaction that writes the results,
    /// and roll it back unless every job was.
    /// </summary>
    public async Task<int> CompleteAsync(IReadOnlyList<LeasedJob> jobs, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        var completed = 0;
        foreach (var group in jobs.GroupBy(j => j.LeaseToken, StringComparer.Ordinal))
        {
            var token = group.Key;
            var ids = group.Select(j => j.Id).ToList();
            completed += await db.IngestionJobs
                .Where(j => ids.Contains(j.Id) && j.LeaseToken == token && j.State == JobStates.Running)
                .ExecuteUpdateAsync(
                    s => s.SetProperty(j => j.State, JobStates.Done)
                        .SetProperty(j => j.LeaseToken, (string?)null)
                        .SetProperty(j => j.LeaseExpiresUtc, (DateTime?)null)
                        .SetProperty(j => j.LastError, (string?)null)
                        .SetProperty(j => j.UpdatedUtc, now),
                    ct);
        }

        return completed;
    }

    /// <summary>Schedules another attempt after <paramref name="delay"/>.</summary>
    public async Task<bool> RetryLaterAsync(LeasedJob job, TimeSpan delay, string error, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await Held(job).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.State, JobStates.Pending)
                .SetProperty(j => j.RunAfterUtc, now + delay)
                .SetProperty(j => j.LeaseToken, (string?)null)
                .SetProperty(j => j.LeaseExpiresUtc, (DateTime?)null)
                .SetProperty(j => j.LastError, Truncate(error))
                .SetProperty(j => j.UpdatedUtc, now),
            ct) == 1;
    }

    /// <summary>Gives the job up for good (dead letter). Call inside the transaction that fails the document.</summary>
    public async Task<bool> KillAsync(LeasedJob job, string error, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return await Held(job).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.State, JobStates.Dead)
                .SetProperty(j => j.LeaseToken, (string?)null)
                .SetProperty(j => j.LeaseExpiresUtc, (DateTime?)null)
                .SetProperty(j => j.LastError, Truncate(error))
                .SetProperty(j => j.UpdatedUtc, now),
            ct) == 1;
    }

    /// <summary>
    /// Hands an unfinished job back at shutdown so another worker takes it at once (its document shows
    /// <c>queued</c> again); the attempt it used is given back too, since the job did not fail.
    /// </summary>
    public async Task ReleaseAsync(LeasedJob job, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await db.Documents.IgnoreQueryFilters()
            .Where(d => d.Id == job.DocumentId && d.Status == DocumentStatuses.Processing)
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DocumentStatuses.Queued).SetProperty(d => d.UpdatedUtc, now), ct);
        await Held(job).ExecuteUpdateAsync(
            s => s.SetProperty(j => j.State, JobStates.Pending)
                .SetProperty(j => j.RunAfterUtc, now)
                .SetProperty(j => j.Attempts, j => j.Attempts > 0 ? j.Attempts - 1 : 0)
                .SetProperty(j => j.LeaseToken, (string?)null)
                .SetProperty(j => j.LeaseExpiresUtc, (DateTime?)null)
                .SetProperty(j => j.UpdatedUtc, now),
            ct);
    }

    /// <summary>Re-arms a dead or finished job with a fresh attempt budget (admin retry, re-embedding).</summary>
    public async Task<bool> RearmAsync(string documentId, CancellationToken ct) => await RearmAsync([documentId], ct) == 1;

    /// <summary>Re-arms the dead or finished jobs of these documents; returns how many.</summary>
    public Task<int> RearmAsync(IReadOnlyCollection<string> documentIds, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return db.IngestionJobs
            .Where(j => documentIds.Contains(j.DocumentId) && j.State != JobStates.Running && j.State != JobStates.Pending)
            .ExecuteUpdateAsync(
                s => s.SetProperty(j => j.State, JobStates.Pending)
                    .SetProperty(j => j.Attempts, 0)
                    .SetProperty(j => j.RunAfterUtc, now)
                    .SetProperty(j => j.LastError, (string?)null)
                    .SetProperty(j => j.UpdatedUtc, now),
                ct);
    }

    /// <summary>Jobs waiting to run (due or scheduled for a retry) and running, for the backlog metric.</summary>
    public Task<int> BacklogAsync(CancellationToken ct) =>
        db.IngestionJobs.CountAsync(j => j.State == JobStates.Pending || j.State == JobStates.Running, ct);

    private IQueryable<IngestionJob> Held(LeasedJob job) =>
        db.IngestionJobs.Where(j => j.Id == job.Id && j.LeaseToken == job.LeaseToken && j.State == JobStates.Running);

    private static string Truncate(string error) => error.Length <= 1000 ? error : error[..1000];
}
