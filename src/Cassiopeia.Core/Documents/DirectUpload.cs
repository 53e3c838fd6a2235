using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Documents;

public sealed record UploadUrlRequest(string? FileName, string? ContentType, long? Size, string? Kind, string? Title, string? Replaces);

/// <param name="DirectUrl">Where the client PUTs the bytes when the store takes them directly (S3 presigned); else null and the API's own signed URL applies.</param>
public sealed record UploadTicket(string DocumentId, string OrganizationId, long Size, DateTime ExpiresAt, Uri? DirectUrl);

/// <summary>
/// Direct upload in three steps: announce (<see cref="CreateAsync"/>), send the bytes once to a
/// signed URL (<see cref="ReceiveAsync"/>, bound to organization, document and declared size),
/// then <see cref="CompleteAsync"/>, which sniffs, deduplicates and records like a form upload.
/// When the blob store takes uploads itself (S3), the URL is the store's presigned PUT to a staging
/// key, and <see cref="CompleteAsync"/> checks the staged object's size and copies it into place
/// while hashing and sniffing it, so the document's own object is only ever written by the service.
/// </summary>
public sealed class DirectUpload(AppDbContext db, Caller caller, IBlobStore blobs, UploadDocument upload, IOptions<DocumentOptions> options, TimeProvider time)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromMinutes(15);

    public async Task<Result<UploadTicket>> CreateAsync(UploadUrlRequest request, CancellationToken ct)
    {
        var max = options.Value.MaxFileBytes;
        var validation = new Validation()
            .Text(request.FileName, "fileName", 255, required: true)
            .Text(request.ContentType, "contentType", 100)
            .Require(request.Size is > 0, "size", "The size in bytes, at least 1.")
            .Require(request.Kind is not null && DocumentKinds.All.Contains(request.Kind), "kind", "One of cv, jd, rubric, other.")
            .Text(request.Title, "title", 200);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (request.Size > max)
        {
            return new Error(ErrorKind.TooLarge, "payload-too-large", $"The file is larger than {max} bytes.");
        }

        if (request.Replaces is not null && !await db.Documents.AnyAsync(d => d.Id == request.Replaces, ct))
        {
            return Error.Validation("replaces", "No such document in this organization.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        var pending = new PendingUpload
        {
            Id = Ids.New("doc"),
            OrganizationId = caller.RequireOrganizationId,
            UserId = caller.RequireUserId,
            Kind = request.Kind!,
            Title = request.Title,
            ReplacesId = request.Replaces,
            FileName = FileNames.Sanitize(request.FileName),
            DeclaredContentType = request.ContentType,
            DeclaredSize = request.Size!.Value,
            ExpiresUtc = now + Lifetime,
            CreatedUtc = now,
        };
        db.PendingUploads.Add(pending);
        await db.SaveChangesAsync(ct);
        var direct = await blobs.GetUploadUrlAsync(BlobKeys.Staging(pending.OrganizationId, pending.Id), pending.DeclaredSize, Lifetime, ct);
        return new UploadTicket(pending.Id, pending.OrganizationId, pending.DeclaredSize, pending.ExpiresUtc, direct);
    }

    /// <summary>Stores the bytes of a signed PUT. The URL's signature was checked by the caller; this enforces single use and size.</summary>
    public async Task<Error?> ReceiveAsync(string organizationId, string documentId, long signedSize, long? contentLength, Stream body, CancellationToken ct)
    {
        var now = time.GetUtcNow().UtcDateTime;
        // The signed URL is the authorization: it names the organization, so the tenant filter is lifted here.
        var pending = db.PendingUploads.IgnoreQueryFilters().Where(p => p.Id == documentId && p.OrganizationId == organizationId);
        if (contentLength > signedSize)
        {
            return new Error(ErrorKind.TooLarge, "payload-too-large", $"This URL accepts exactly {signedSize} bytes.");
        }

        var claimed = await pending.Where(p => p.ClaimedUtc == null && p.ExpiresUtc > now).ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedUtc, now), ct);
        if (claimed == 0)
        {
            return new Error(ErrorKind.Forbidden, "upload-url-used", "This upload URL was already used, has expired, or its upload was cancelled.");
        }

        var key = BlobKeys.Document(organizationId, documentId);
        try
        {
            var stored = await blobs.WriteAsync(key, body, signedSize, ct);
            if (stored.Size != signedSize)
            {
                await blobs.DeleteAsync(key, CancellationToken.None);
                await pending.ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedUtc, (DateTime?)null), CancellationToken.None);
                return Error.Validation("size", $"Expected {signedSize} bytes, received {stored.Size}.");
            }

            await pending.ExecuteUpdateAsync(s => s.SetProperty(p => p.UploadedUtc, now).SetProperty(p => p.Sha256, stored.Sha256), ct);
            return null;
        }
        catch (BlobTooLargeException)
        {
            await pending.ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedUtc, (DateTime?)null), CancellationToken.None);
            return new Error(ErrorKind.TooLarge, "payload-too-large", $"This URL accepts exactly {signedSize} bytes.");
        }
    }

    public async Task<Result<(DocumentView Document, bool Created)>> CompleteAsync(string documentId, CancellationToken ct)
    {
        var pending = await db.PendingUploads.FirstOrDefaultAsync(p => p.Id == documentId, ct);
        if (pending is null)
        {
            return Error.NotFound("upload");
        }

        StagedUpload staged;
        if (pending.UploadedUtc is not null && pending.Sha256 is not null)
        {
            staged = new StagedUpload(pending.Id, BlobKeys.Document(pending.OrganizationId, pending.Id), new StoredBlob(pending.DeclaredSize, pending.Sha256), pending.FileName, pending.DeclaredContentType);
        }
        else
        {
            var copied = await TakeStagedAsync(pending, ct);
            if (!copied.Succeeded)
            {
                return copied.Error!;
            }

            staged = copied.Value!;
        }

        db.PendingUploads.Remove(pending);
        await db.SaveChangesAsync(ct);
        return await upload.CompleteAsync(staged, new UploadFields(pending.Kind, pending.Title, pending.ReplacesId), ct);
    }

    /// <summary>
    /// The bytes a client PUT straight to the store: claimed once, checked against the declared size
    /// (HEAD), then copied to the document's key through the same hashing and sniffing as a form
    /// upload. A wrong size removes the staged object and leaves the announcement usable again.
    /// </summary>
    private async Task<Result<StagedUpload>> TakeStagedAsync(PendingUpload pending, CancellationToken ct)
    {
        var incomplete = new Error(ErrorKind.Conflict, "upload-incomplete", "The file has not been uploaded to the upload URL yet.");
        var stagingKey = BlobKeys.Staging(pending.OrganizationId, pending.Id);
        await using var source = await blobs.OpenReadAsync(stagingKey, ct);
        var now = time.GetUtcNow().UtcDateTime;
        var row = db.PendingUploads.Where(p => p.Id == pending.Id);
        if (source is null || await row.Where(p => p.ClaimedUtc == null).ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedUtc, now), ct) == 0)
        {
            return incomplete;
        }

        var key = BlobKeys.Document(pending.OrganizationId, pending.Id);
        var released = false;
        async Task<Error> ReleaseAsync(Error error)
        {
            await blobs.DeleteAsync(key, CancellationToken.None);
            await row.ExecuteUpdateAsync(s => s.SetProperty(p => p.ClaimedUtc, (DateTime?)null), CancellationToken.None);
            released = true;
            return error;
        }

        try
        {
            if (source.Length != pending.DeclaredSize)
            {
                await blobs.DeleteAsync(stagingKey, CancellationToken.None);
                return await ReleaseAsync(source.Length > pending.DeclaredSize
                    ? new Error(ErrorKind.TooLarge, "payload-too-large", $"The upload URL accepts exactly {pending.DeclaredSize} bytes; {source.Length} arrived.")
                    : Error.Validation("size", $"Expected {pending.DeclaredSize} bytes, received {source.Length}."));
            }

            var probe = new ContentProbeStream(source);
            var stored = await blobs.WriteAsync(key, probe, pending.DeclaredSize, ct);
            await blobs.DeleteAsync(stagingKey, CancellationToken.None);
            if (stored.Size != pending.DeclaredSize)
            {
                return await ReleaseAsync(Error.Validation("size", $"Expected {pending.DeclaredSize} bytes, received {stored.Size}."));
            }

            return new StagedUpload(pending.Id, key, stored, pending.FileName, pending.DeclaredContentType, probe);
        }
        catch (BlobTooLargeException)
        {
            // The staged object grew between the size check and the copy (a second PUT).
            await blobs.DeleteAsync(stagingKey, CancellationToken.None);
            return await ReleaseAsync(new Error(ErrorKind.TooLarge, "payload-too-large", $"The upload URL accepts exactly {pending.DeclaredSize} bytes."));
        }
        catch when (!released)
        {
            await ReleaseAsync(incomplete);
            throw;
        }
    }
}
