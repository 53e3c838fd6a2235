using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Jobs;
using Cassiopeia.Core.Storage;
using Cassiopeia.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// One attempt at a batch of jobs of one organization: extract → chunk → embed → index. Every step is
/// deterministic and the last one replaces each document's chunks in the transaction that also
/// completes its job under its lease, so running a job twice (at-least-once delivery) leaves the same
/// chunks and vectors, and a worker that lost a lease writes nothing for that document. Documents are
/// extracted one by one (a failure there fails or retries that document alone), embedded together
/// and indexed in one transaction, a savepoint per document; should that shared transaction fail,
/// each document is indexed on its own so that one bad document cannot hold back the others.
/// </summary>
public sealed partial class IngestDocument(
    AppDbContext db,
    TenantContext tenant,
    IBlobStore blobs,
    DocumentTextExtractor extractor,
    EmbeddingModel model,
    IngestionQueue queue,
    IOptions<IngestionOptions> options,
    TimeProvider time,
    IngestionTelemetry telemetry,
    DocumentEvents events,
    UsageMeter usage,
    ILogger<IngestDocument> log)
{
    private readonly IngestionOptions _settings = options.Value;

    /// <summary>A document that got through extraction and chunking in this attempt.</summary>
    private sealed record Work(LeasedJob Job, Document Document, int? PageCount, IReadOnlyList<ChunkDraft> Drafts)
    {
        public float[][] Vectors { get; set; } = [];

        /// <summary>Why the pages quota refused the document, when it did.</summary>
        public Error? OverQuota { get; set; }
    }

    private enum Indexed
    {
        Written,

        /// <summary>The lease was lost or the document deleted: nothing to write.</summary>
        Dropped,

        /// <summary>Its pages would exceed the plan's quota: to be failed with that reason.</summary>
        OverQuota,
    }

    public Task RunAsync(LeasedJob job, CancellationToken ct) => RunAsync([job], ct);

    /// <summary>Runs <paramref name="jobs"/>, which all belong to one organization.</summary>
    public async Task RunAsync(IReadOnlyList<LeasedJob> jobs, CancellationToken ct)
    {
        if (jobs.Count == 0)
        {
            return;
        }

        tenant.Enter(jobs[0].OrganizationId);
        if (jobs.Any(j => j.OrganizationId != tenant.OrganizationId))
        {
            throw new ArgumentException("A batch holds the jobs of one organization.", nameof(jobs));
        }

        var runnable = new List<LeasedJob>(jobs.Count);
        foreach (var job in jobs)
        {
            if (job.Attempts > _settings.MaxAttempts)
            {
                // Earlier claims never reported back: the document stopped its worker (a crash, a kill
                // for memory) every time. Dead-letter it rather than crash the next worker too.
                await FailAsync(job, $"Processing stopped {job.Attempts - 1} times without finishing; an admin can retry it.", ct);
            }
            else
            {
                runnable.Add(job);
            }
        }

        var ids = runnable.Select(j => j.DocumentId).ToList();
        var documents = await db.Documents.AsNoTracking().Where(d => ids.Contains(d.Id)).ToDictionaryAsync(d => d.Id, StringComparer.Ordinal, ct);
        var work = new List<Work>(runnable.Count);
        foreach (var job in runnable)
        {
            // A document deleted meanwhile took its job with it: nothing to do.
            if (documents.TryGetValue(job.DocumentId, out var document) && await PrepareAsync(job, document, ct) is { } prepared)
            {
                work.Add(prepared);
            }
        }

        if (work.Count == 0)
        {
            return;
        }

        var step = "embed";
        try
        {
            await TimedAsync(step, () => EmbedAsync(work, ct));
            step = "index";
            var indexed = await TimedAsync(step, () => work.Count > 1 ? IndexTogetherAsync(work, ct) : IndexAloneAsync(work[0], ct));
            Report(indexed);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (step == "index" && work.Count > 1 && e is not OutOfMemoryException)
        {
            // The shared transaction failed as a whole: index each document on its own, so the fault
            // stays with the document that caused it.
            LogBatchFellBack(log, e, work.Count);
            foreach (var item in work)
            {
                try
                {
                    Report(await IndexAloneAsync(item, ct));
                }
                catch (Exception single) when (single is not OperationCanceledException and not OutOfMemoryException)
                {
                    await GiveUpOrRetryAsync(item.Job, step, single, ct);
                }
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            foreach (var item in work)
            {
                await GiveUpOrRetryAsync(item.Job, step, e, ct);
            }
        }
    }

    /// <summary>Extraction and chunking of one document; null when it failed (and was failed or rescheduled).</summary>
    private async Task<Work?> PrepareAsync(LeasedJob job, Document document, CancellationToken ct)
    {
        var step = "extract";
        try
        {
            var extracted = await TimedAsync(step, () => ExtractAsync(document, ct));
            step = "chunk";
            var drafts = await TimedAsync(step, () => Task.FromResult(Chunker.Split(extracted, model.Tokens, _settings.Chunking)));
            if (drafts.Count == 0)
            {
                throw new ExtractionFailedException("The document has no text to index.");
            }

            return new Work(job, document, extracted.PageCount, drafts);
        }
        catch (ExtractionFailedException e)
        {
            await FailAsync(job, e.Message, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            await GiveUpOrRetryAsync(job, step, e, ct);
        }

        return null;
    }

    /// <summary>A transient failure: another attempt after a backoff, or the dead letter once the attempts are used up.</summary>
    private async Task GiveUpOrRetryAsync(LeasedJob job, string step, Exception e, CancellationToken ct)
    {
        var reason = Describe(step, e);
        if (job.Attempts >= _settings.MaxAttempts)
        {
            LogGaveUp(log, e, job.DocumentId, job.Attempts, step);
            await FailAsync(job, $"{reason} It failed {job.Attempts} times; an admin can retry it.", ct);
            return;
        }

        var delay = _settings.RetryDelay(job.Attempts, Random.Shared.NextDouble());
        LogRetry(log, e, job.DocumentId, job.Attempts, step, delay);
        telemetry.Retries.Add(1, new KeyValuePair<string, object?>("step", step));
        await queue.RetryLaterAsync(job, delay, reason, ct);
    }

    private void Report(IReadOnlyCollection<Work> indexed)
    {
        foreach (var item in indexed)
        {
            telemetry.Completed.Add(1);
            LogReady(log, item.Document.Id, item.Drafts.Count, item.Job.Attempts);
            events.StatusChanged(item.Document.Id);
        }
    }

    private async Task<ExtractedDocument> ExtractAsync(Document document, CancellationToken ct)
    {
        await using var content = await blobs.OpenReadAsync(document.BlobKey, ct)
            ?? throw new ExtractionFailedException("The document's file is missing from storage; upload it again.");
        var limits = new ExtractionLimits(_settings.MaxPages, _settings.MaxCharacters, _settings.StepTimeout);
        var extracted = await extractor.ExtractAsync(document.ContentType, content, limits, ct);
        if (extracted.Blocks.Count == 0 || extracted.CharacterCount == 0)
        {
            throw new ExtractionFailedException(document.ContentType == ContentSniffer.Pdf
                ? "The PDF has no extractable text; it may be a scanned image. Upload a text-based PDF or a DOCX."
                : "The document contains no text.");
        }

        return extracted;
    }

    /// <summary>
    /// Vectors for every draft of the batch, reusing those already computed for the same text by the
    /// same model (the embedding cache), and computing each distinct new text once.
    /// </summary>
    private async Task<bool> EmbedAsync(List<Work> work, CancellationToken ct)
    {
        var drafts = work.SelectMany(w => w.Drafts).ToList();
        var hashes = drafts.Select(d => Chunk.HashOf(d.Text)).ToArray();
        var distinct = hashes.Distinct(StringComparer.Ordinal).ToList();
        // The organization is matched here rather than by the tenant filter: with that filter in SQL,
        // SQLite picks the (OrganizationId, Seq) index and scans every chunk of the organization for
        // each document; without it the lookup is a (ModelId, ContentHash) index seek.
        var cached = await db.Chunks.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.ModelId == model.Id && distinct.Contains(c.ContentHash))
            .Select(c => new { c.OrganizationId, c.ContentHash, c.Vector })
            .ToListAsync(ct);
        var known = new Dictionary<string, float[]>(StringComparer.Ordinal);
        foreach (var hit in cached.Where(h => h.OrganizationId == tenant.OrganizationId))
        {
            known.TryAdd(hit.ContentHash, MemoryMarshal.Cast<byte, float>(hit.Vector).ToArray());
        }

        var missing = new List<int>();
        var seen = new HashSet<string>(known.Keys, StringComparer.Ordinal);
        for (var i = 0; i < drafts.Count; i++)
        {
            if (seen.Add(hashes[i]))
            {
                missing.Add(i);
            }
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(_settings.StepTimeout);
        foreach (var batch in missing.Chunk(_settings.EmbeddingBatchSize))
        {
            try
            {
                var generated = await model.Generator.GenerateAsync(batch.Select(i => drafts[i].Text), cancellationToken: timeout.Token);
                if (generated.Count != batch.Length)
                {
                    throw new InvalidOperationException($"The embedding model returned {generated.Count} vectors for {batch.Length} texts.");
                }

                for (var k = 0; k < batch.Length; k++)
                {
                    var vector = generated[k].Vector.ToArray();
                    if (vector.Length != model.Dimensions)
                    {
                        throw new InvalidOperationException($"The embedding model returned {vector.Length} dimensions instead of {model.Dimensions}.");
                    }

                    known[hashes[batch[k]]] = vector;
                }
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested && !ct.IsCancellationRequested)
            {
                throw new TimeoutException($"Embedding took longer than {_settings.StepTimeout.TotalSeconds:0} s.");
            }
        }

        var next = 0;
        foreach (var item in work)
        {
            item.Vectors = [.. hashes.Skip(next).Take(item.Drafts.Count).Select(h => known[h])];
            next += item.Drafts.Count;
        }

        return true;
    }

    /// <summary>
    /// Indexes the batch in one transaction: all documents at once first (one statement per kind of
    /// row rather than several per document, which keeps the database's single writer free for
    /// uploads); when that cannot hold for every document (a lease lost, a document deleted, pages
    /// over quota), it is undone and the batch indexed again with a savepoint per document.
    /// </summary>
    private async Task<IReadOnlyCollection<Work>> IndexTogetherAsync(List<Work> work, CancellationToken ct)
    {
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            if (await ReplaceChunksAsync(work, ct) == Indexed.Written)
            {
                await transaction.CommitAsync(ct);
                return work;
            }

            await transaction.RollbackAsync(ct);
        }

        return await IndexEachAsync(work, ct);
    }

    /// <summary>Indexes the batch in one transaction, a savepoint per document; the documents written.</summary>
    private async Task<IReadOnlyCollection<Work>> IndexEachAsync(List<Work> work, CancellationToken ct)
    {
        var written = new List<Work>(work.Count);
        var overQuota = new List<Work>();
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var item in work)
            {
                await transaction.CreateSavepointAsync("document", ct);
                var outcome = await ReplaceChunksAsync([item], ct);
                if (outcome == Indexed.Written)
                {
                    await transaction.ReleaseSavepointAsync("document", ct);
                    written.Add(item);
                }
                else
                {
                    await transaction.RollbackToSavepointAsync("document", ct);
                    await transaction.ReleaseSavepointAsync("document", ct);
                    Refused(item, outcome, overQuota);
                }
            }

            await transaction.CommitAsync(ct);
        }

        await FailOverQuotaAsync(overQuota, ct);
        return written;
    }

    private async Task<IReadOnlyCollection<Work>> IndexAloneAsync(Work item, CancellationToken ct)
    {
        var overQuota = new List<Work>();
        Indexed outcome;
        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            outcome = await ReplaceChunksAsync([item], ct);
            if (outcome == Indexed.Written)
            {
                await transaction.CommitAsync(ct);
            }
            else
            {
                await transaction.RollbackAsync(ct);
                Refused(item, outcome, overQuota);
            }
        }

        await FailOverQuotaAsync(overQuota, ct);
        return outcome == Indexed.Written ? [item] : [];
    }

    /// <summary>A document whose results were not written on its own: logged when dropped, kept to be failed when over quota.</summary>
    private void Refused(Work item, Indexed outcome, List<Work> overQuota)
    {
        if (outcome == Indexed.OverQuota)
        {
            overQuota.Add(item);
        }
        else
        {
            LogLeaseLost(log, item.Document.Id);
        }
    }

    /// <summary>Documents whose pages the quota refused end failed with the quota's reason (an admin can retry them once there is room).</summary>
    private async Task FailOverQuotaAsync(List<Work> refused, CancellationToken ct)
    {
        foreach (var item in refused)
        {
            await FailAsync(item.Job, $"Not indexed: its {PagesOf(item)} pages exceed the pages quota. {item.OverQuota!.Detail}", ct);
        }
    }

    /// <summary>What a document counts toward <see cref="Metrics.PagesIngested"/>: its pages, or one for formats without pages.</summary>
    private static int PagesOf(Work item) => Math.Max(1, item.PageCount ?? 1);

    /// <summary>
    /// Inside the caller's transaction, for every document of <paramref name="work"/> in a handful of
    /// statements: the documents ready (one update per distinct page and chunk count), the jobs complete
    /// under their leases, the pages of first-time documents reserved together with their usage events,
    /// the old chunks deleted and the new ones inserted. Unless every document got through, the caller
    /// rolls back: a lease was lost or a document deleted (<see cref="Indexed.Dropped"/>), or the pages
    /// would exceed the quota (<see cref="Indexed.OverQuota"/>, the reason on each first-time document).
    /// </summary>
    private async Task<Indexed> ReplaceChunksAsync(IReadOnlyList<Work> work, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;

        // Documents first, then jobs: the same lock order as a delete, which cascades from the document.
        var updated = 0;
        foreach (var group in work.GroupBy(w => (w.PageCount, Chunks: w.Drafts.Count)))
        {
            var ids = group.Select(w => w.Document.Id).ToList();
            var (pageCount, chunkCount) = group.Key;
            updated += await db.Documents.Where(d => ids.Contains(d.Id)).ExecuteUpdateAsync(
                s => s.SetProperty(d => d.Status, DocumentStatuses.Ready)
                    .SetProperty(d => d.PageCount, pageCount)
                    .SetProperty(d => d.ChunkCount, chunkCount)
                    .SetProperty(d => d.Error, (string?)null)
                    .SetProperty(d => d.UpdatedUtc, now),
                ct);
        }

        if (updated != work.Count || await queue.CompleteAsync([.. work.Select(w => w.Job)], ct) != work.Count)
        {
            return Indexed.Dropped;
        }

        // Pages count the first time a document becomes ready (not when it is embedded again), in this
        // transaction: the quota is taken if and only if the chunks are written.
        var firstTime = work.Where(w => w.Document.ChunkCount is null or 0).ToList();
        if (firstTime.Count > 0)
        {
            var reserved = await usage.ReserveAsync(Metrics.PagesIngested, firstTime.Sum(PagesOf), ct);
            if (!reserved.Succeeded)
            {
                firstTime.ForEach(w => w.OverQuota = reserved.Error);
                return Indexed.OverQuota;
            }

            await db.InsertManyAsync(UsageEvent.Combine(firstTime.Select(w => usage.Event(Metrics.PagesIngested, PagesOf(w), w.Document.UserId))).ToList(), ct);
        }

        await ChunkErasure.Of(db, [.. work.Select(w => w.Document.Id)]).ExecuteDeleteAsync(ct);
        await db.InsertManyAsync(work.SelectMany(item => item.Drafts.Select((draft, i) => Chunk.From(item.Document.OrganizationId, item.Document.Id, draft, model, item.Vectors[i]))).ToList(), ct);
        return Indexed.Written;
    }

    private async Task FailAsync(LeasedJob job, string reason, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var updated = await db.Documents.Where(d => d.Id == job.DocumentId).ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Status, DocumentStatuses.Failed)
                .SetProperty(d => d.ChunkCount, 0)
                .SetProperty(d => d.Error, reason.Length <= 1000 ? reason : reason[..1000])
                .SetProperty(d => d.UpdatedUtc, now),
            ct);
        if (updated == 0 || !await queue.KillAsync(job, reason, ct))
        {
            await transaction.RollbackAsync(ct);
            return;
        }

        // A failed document is never half-indexed (a failed re-ingestion leaves no stale chunks).
        await ChunkErasure.Of(db, job.DocumentId).ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        telemetry.Failures.Add(1);
        LogFailed(log, job.DocumentId, reason);
        events.StatusChanged(job.DocumentId);
    }

    private async Task<T> TimedAsync<T>(string step, Func<Task<T>> run)
    {
        using var activity = IngestionTelemetry.Source.StartActivity($"ingest.{step}");
        var started = Stopwatch.GetTimestamp();
        try
        {
            return await run();
        }
        finally
        {
            telemetry.StepDuration.Record(Stopwatch.GetElapsedTime(started).TotalSeconds, new KeyValuePair<string, object?>("step", step));
        }
    }

    /// <summary>A reason a user can read: what failed, never exception text (which may hold internals).</summary>
    private static string Describe(string step, Exception e) => e switch
    {
        HttpRequestException { StatusCode: HttpStatusCode status } => $"The {step} step failed: the embedding service answered HTTP {(int)status}.",
        HttpRequestException => $"The {step} step failed: the embedding service could not be reached.",
        TimeoutException or TaskCanceledException => $"The {step} step took too long.",
        IOException => $"The {step} step failed: the stored file could not be read.",
        DbUpdateException => $"The {step} step failed: the database refused the write.",
        _ => $"The {step} step failed with an internal error.",
    };


    [LoggerMessage(Level = LogLevel.Information, Message = "Document {DocumentId} is ready with {Chunks} chunks (attempt {Attempt})")]
    private static partial void LogReady(ILogger logger, string documentId, int chunks, int attempt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document {DocumentId} failed at {Step} (attempt {Attempt}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, Exception exception, string documentId, int attempt, string step, TimeSpan delay);

    [LoggerMessage(Level = LogLevel.Error, Message = "Document {DocumentId} failed at {Step} on attempt {Attempt}; giving up")]
    private static partial void LogGaveUp(ILogger logger, Exception exception, string documentId, int attempt, string step);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Document {DocumentId} failed: {Reason}")]
    private static partial void LogFailed(ILogger logger, string documentId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Indexing {Count} documents in one transaction failed; indexing each on its own")]
    private static partial void LogBatchFellBack(ILogger logger, Exception exception, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Results for document {DocumentId} were dropped: its lease was lost or it was deleted")]
    private static partial void LogLeaseLost(ILogger logger, string documentId);
}
