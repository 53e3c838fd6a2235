using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Storage;
using Cassiopeia.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Microsoft.Net.Http.Headers;

namespace Cassiopeia.Api.Features.Documents;

/// <summary>
/// Downloads go through a short-lived signed URL bound to organization, document and content
/// hash: <c>GET /v1/documents/{id}/content</c> answers 302 to <c>/v1/files/{token}</c>, which streams
/// the decrypted bytes with Range support. With S3 the redirect goes to a presigned GET of the
/// object (same lifetime, the same Content-Type and attachment disposition as response overrides),
/// and the bucket serves the bytes and ranges. A deleted document's URLs stop working.
/// </summary>
public static class DocumentContentEndpoints
{
    private const string Purpose = "download";

    internal static async Task<Results<RedirectHttpResult, ProblemHttpResult>> RedirectAsync(string id, DocumentQueries documents, Caller caller, UrlSigner signer, IBlobStore blobs, IOptions<DocumentOptions> options, CancellationToken ct)
    {
        if (await documents.GetAsync(id, ct) is not { } document)
        {
            return Problems.NotFound("document");
        }

        var disposition = new ContentDispositionHeaderValue("attachment");
        disposition.SetHttpFileName(document.FileName);
        var direct = await blobs.GetDownloadUrlAsync(BlobKeys.Document(caller.RequireOrganizationId, document.Id), options.Value.DownloadUrlLifetime, document.ContentType, disposition.ToString(), ct);
        if (direct is not null)
        {
            return TypedResults.Redirect(direct.AbsoluteUri);
        }

        var token = signer.Sign(Purpose, [caller.RequireOrganizationId, document.Id, document.Sha256], options.Value.DownloadUrlLifetime);
        return TypedResults.Redirect($"/v1/files/{token}");
    }

    internal static async Task<Results<PipedStreamResult, FileStreamHttpResult, ProblemHttpResult>> DownloadAsync(string token, UrlSigner signer, AppDbContext db, IBlobStore blobs, HttpContext context, CancellationToken ct)
    {
        if (signer.Verify(Purpose, token) is not [var organizationId, var documentId, var sha256])
        {
            return new Error(ErrorKind.Forbidden, "invalid-signature", "The link is invalid or has expired; ask for a new one.").ToProblem();
        }

        // The token is the authorization: it names the organization, so the tenant filter is lifted for this lookup only.
        var document = await db.Documents.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(d => d.Id == documentId && d.OrganizationId == organizationId && d.Sha256 == sha256, ct);
        var content = document is null ? null : await blobs.OpenReadAsync(document.BlobKey, ct);
        if (document is null || content is null)
        {
            return Problems.NotFound("document");
        }

        context.Response.Headers.CacheControl = "private, no-store";
        if (PipedStreamResult.Applies(context.Request, content))
        {
            return new PipedStreamResult(content, document.ContentType, document.FileName);
        }

        return TypedResults.Stream(content, document.ContentType, document.FileName, enableRangeProcessing: true);
    }
}
