using System.Diagnostics;
using System.Net;
using System.Runtime.InteropServices;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Jobs;
using Cassiopeia.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// One attempt at one job: extract → chunk → embed → index. Every step is deterministic and the
/// last one replaces the document's chunks in one transaction that also completes the job under
/// its lease, so running a job twice (at-least-once delivery) leaves the same chunks and vectors,
/// and a worker that lost its lease writes nothing.
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
    ILogger<IngestDocument> log)
{
    private readonly IngestionOptions _settings = options.Value;

    public async Task RunAsync(LeasedJob job, CancellationToken ct)
    {
        tenant.Enter(job.OrganizationId);
        if (job.Attempts > _settings.MaxAttempts)
        {
            // Earlier claims never reported back: the document stopped its worker (a crash, a kill
            // for memory) every time. Dead-letter it rather than crash the next worker too.
            await FailAsync(job, $"Processing stopped {job.Attempts - 1} times without finishing; an admin can retry it.", ct);
            return;
        }

        var step = "extract";
        try
        {
            var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == job.DocumentId, ct);
            if (document is null)
            {
                return; // Deleted meanwhile; its job went with it.
            }

            var extracted = await TimedAsync(step, () => ExtractAsync(document, ct));
            step = "chunk";
            var drafts = await TimedAsync(step, () => Task.FromResult(Chunker.Split(extracted, model.Tokens, _settings.Chunking)));
            if (drafts.Count == 0)
            {
                throw new ExtractionFailedException("The document has no text to index.");
            }

            step = "embed";
            var vectors = await TimedAsync(step, () => EmbedAsync(drafts, ct));
            step = "index";
            var indexed = await TimedAsync(step, () => IndexAsync(job, document, extracted.PageCount, drafts, vectors, ct));
            if (indexed)
            {
                telemetry.Completed.Add(1);
                LogReady(log, document.Id, drafts.Count, job.Attempts);
            }
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

    /// <summary>Vectors for each draft, reusing those already computed for the same text by the same model (the embedding cache).</summary>
    private async Task<float[][]> EmbedAsync(IReadOnlyList<ChunkDraft> drafts, CancellationToken ct)
    {
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

        return hashes.Select(h => known[h]).ToArray();
    }

    private async Task<bool> IndexAsync(LeasedJob job, Document document, int? pageCount, IReadOnlyList<ChunkDraft> drafts, float[][] vectors, CancellationToken ct)
    {
        var chunks = drafts.Select((draft, i) => Chunk.From(document.OrganizationId, document.Id, draft, model, vectors[i])).ToList();

        var now = time.GetUtcNow().UtcDateTime;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // Document first, then job: the same lock order as a delete, which cascades from the document.
        var updated = await db.Documents.Where(d => d.Id == document.Id).ExecuteUpdateAsync(
            s => s.SetProperty(d => d.Status, DocumentStatuses.Ready)
                .SetProperty(d => d.PageCount, pageCount)
                .SetProperty(d => d.ChunkCount, chunks.Count)
                .SetProperty(d => d.Error, (string?)null)
                .SetProperty(d => d.UpdatedUtc, now),
            ct);
        if (updated == 0 || !await queue.CompleteAsync(job, ct))
        {
            await transaction.RollbackAsync(ct);
            LogLeaseLost(log, document.Id);
            return false;
        }

        await ChunkErasure.Of(db, document.Id).ExecuteDeleteAsync(ct);
        db.Chunks.AddRange(chunks);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        events.StatusChanged(document.Id);
        return true;
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

    [LoggerMessage(Level = LogLevel.Warning, Message = "Results for document {DocumentId} were dropped: its lease was lost or it was deleted")]
    private static partial void LogLeaseLost(ILogger logger, string documentId);
}
