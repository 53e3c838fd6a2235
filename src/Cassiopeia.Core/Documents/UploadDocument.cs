using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Core.Jobs;
using Cassiopeia.Core.Storage;
using Cassiopeia.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Documents;

/// <summary>Bytes streamed into the store under a new document id, not yet a document.</summary>
/// <param name="Probe">What was learnt of the content while it streamed in; null when the bytes arrived another way.</param>
public sealed record StagedUpload(string DocumentId, string BlobKey, StoredBlob Blob, string FileName, string? DeclaredContentType, ContentProbeStream? Probe = null);

public sealed record UploadFields(string? Kind, string? Title, string? Replaces);

/// <summary>
/// Upload in two steps, so the file streams straight from the request into storage while the
/// form fields may arrive before or after it: <see cref="StageAsync"/> stores and hashes the bytes;
/// <see cref="CompleteAsync"/> validates, sniffs the type, deduplicates by SHA-256 within the
/// organization and records the document — or removes the staged bytes, leaving nothing behind.
/// </summary>
public sealed class UploadDocument(AppDbContext db, Caller caller, IBlobStore blobs, IOptions<DocumentOptions> options, TimeProvider time, DocumentInserts inserts, DocumentEvents events, UsageMeter usage)
{
    public async Task<Result<StagedUpload>> StageAsync(string? fileName, string? declaredContentType, Stream content, CancellationToken ct)
    {
        var id = Ids.New("doc");
        var key = BlobKeys.Document(caller.RequireOrganizationId, id);
        try
        {
            var probe = new ContentProbeStream(content);
            var blob = await blobs.WriteAsync(key, probe, options.Value.MaxFileBytes, ct);
            if (blob.Size == 0)
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
                return Error.Validation("file", "The file is empty.");
            }

            return new StagedUpload(id, key, blob, FileNames.Sanitize(fileName), declaredContentType, probe);
        }
        catch (BlobTooLargeException)
        {
            return new Error(ErrorKind.TooLarge, "payload-too-large", $"The file is larger than {options.Value.MaxFileBytes} bytes.");
        }
    }

    public async Task<Result<(DocumentView Document, bool Created)>> CompleteAsync(StagedUpload staged, UploadFields fields, CancellationToken ct)
    {
        var outcome = await RecordAsync(staged, fields, ct);
        if (!outcome.Succeeded || !outcome.Value.Created)
        {
            await DiscardAsync(staged);
        }

        return outcome;
    }

    public Task DiscardAsync(StagedUpload staged) => blobs.DeleteAsync(staged.BlobKey, CancellationToken.None);

    private async Task<Result<(DocumentView Document, bool Created)>> RecordAsync(StagedUpload staged, UploadFields fields, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(fields.Kind is not null && DocumentKinds.All.Contains(fields.Kind), "kind", "One of cv, jd, rubric, other.")
            .Text(fields.Title, "title", 200);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (fields.Replaces is not null && !await db.Documents.AnyAsync(d => d.Id == fields.Replaces, ct))
        {
            return Error.Validation("replaces", "No such document in this organization.");
        }

        var (contentType, problem) = await SniffAsync(staged, ct);

        if (contentType is null || ContentSniffer.Contradicts(contentType, staged.FileName, staged.DeclaredContentType))
        {
            return new Error(ErrorKind.UnsupportedType, "unsupported-media-type", problem ?? $"The file's content is {contentType}, which its name or declared type contradicts.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var document = new Document
        {
            Id = staged.DocumentId,
            OrganizationId = caller.RequireOrganizationId,
            UserId = caller.RequireUserId,
            Kind = fields.Kind!,
            Title = string.IsNullOrWhiteSpace(fields.Title) ? staged.FileName : fields.Title.Trim(),
            FileName = staged.FileName,
            ContentType = contentType,
            Size = staged.Blob.Size,
            Sha256 = staged.Blob.Sha256,
            Status = DocumentStatuses.Queued,
            ReplacesId = fields.Replaces,
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        // Outbox: the job is saved with the document, so neither exists without the other. Uploads
        // finishing together share the transaction, which also takes the documents quota (and checks
        // that pages are left); the unique (organization, SHA-256) index decides duplicates, and the
        // lookup runs only for one.
        var job = IngestionQueue.NewJob(document.OrganizationId, document.Id, System.Diagnostics.Activity.Current?.Id, now);
        var saved = await inserts.InsertAsync(document, job, usage.Event(Metrics.Documents, 1));
        if (saved.Outcome == InsertOutcome.QuotaExceeded)
        {
            // Bytes the organization already holds are not a new document: answer with it whatever the quota.
            return await FindBySha256Async(staged.Blob.Sha256, ct) is { } known ? (DocumentView.From(known, duplicate: true), false) : saved.QuotaError!;
        }

        if (saved.Outcome == InsertOutcome.Duplicate)
        {
            var existing = await FindBySha256Async(staged.Blob.Sha256, ct)
                ?? throw new InvalidOperationException("A unique index refused the document, yet no document holds its bytes.");
            return (DocumentView.From(existing, duplicate: true), false);
        }

        events.JobEnqueued();
        return (DocumentView.From(document), true);
    }

    /// <summary>The content type from what was seen while the bytes streamed in; the stored file is opened (and decrypted) only when that is not enough.</summary>
    private async Task<(string? ContentType, string? Problem)> SniffAsync(StagedUpload staged, CancellationToken ct)
    {
        if (staged.Probe is { } seen && !ContentSniffer.NeedsContent(seen))
        {
            return ContentSniffer.Sniff(null, seen);
        }

        await using var stored = await blobs.OpenReadAsync(staged.BlobKey, ct) ?? throw new InvalidOperationException("The staged upload vanished.");
        return staged.Probe is { } probe ? ContentSniffer.Sniff(stored, probe) : ContentSniffer.Sniff(stored);
    }

    private Task<Document?> FindBySha256Async(string sha256, CancellationToken ct) =>
        db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Sha256 == sha256, ct);
}
