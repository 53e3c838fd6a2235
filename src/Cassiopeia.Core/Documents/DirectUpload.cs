using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Storage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Documents;

public sealed record UploadUrlRequest(string? FileName, string? ContentType, long? Size, string? Kind, string? Title, string? Replaces);

public sealed record UploadTicket(string DocumentId, string OrganizationId, long Size, DateTime ExpiresAt);

/// <summary>
/// Direct upload in three steps: announce (<see cref="CreateAsync"/>), send the bytes once to a
/// signed URL (<see cref="ReceiveAsync"/>, bound to organization, document and declared size),
/// then <see cref="CompleteAsync"/>, which sniffs, deduplicates and records like a form upload.
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
        return new UploadTicket(pending.Id, pending.OrganizationId, pending.DeclaredSize, pending.ExpiresUtc);
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

        var key = $"{organizationId}/{documentId}";
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

        if (pending.UploadedUtc is null || pending.Sha256 is null)
        {
            return new Error(ErrorKind.Conflict, "upload-incomplete", "The file has not been uploaded to the upload URL yet.");
        }

        var staged = new StagedUpload(pending.Id, $"{pending.OrganizationId}/{pending.Id}", new StoredBlob(pending.DeclaredSize, pending.Sha256), pending.FileName, pending.DeclaredContentType);
        db.PendingUploads.Remove(pending);
        await db.SaveChangesAsync(ct);
        return await upload.CompleteAsync(staged, new UploadFields(pending.Kind, pending.Title, pending.ReplacesId), ct);
    }
}
