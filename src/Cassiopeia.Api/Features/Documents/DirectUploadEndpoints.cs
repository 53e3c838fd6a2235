using System.Globalization;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Documents;
using Cassiopeia.Infrastructure.Security;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Documents;

public sealed record UploadUrlResponse(string DocumentId, string UploadUrl, DateTime ExpiresAt);

public sealed record UploadReceived(string DocumentId, long Size);

/// <summary>
/// Direct upload: a signed, single-use, size-bound URL to PUT the bytes to, then <c>/complete</c>.
/// With S3 the URL is the bucket's presigned PUT (its signature covers the size), so the bytes never
/// pass through the API until <c>/complete</c> copies them into place.
/// </summary>
public static class DirectUploadEndpoints
{
    private const string Purpose = "upload";

    internal static async Task<Results<Created<UploadUrlResponse>, ProblemHttpResult>> CreateAsync(UploadUrlRequest request, DirectUpload direct, UrlSigner signer, CancellationToken ct)
    {
        var result = await direct.CreateAsync(request, ct);
        if (!result.Succeeded)
        {
            return result.Error!.ToProblem();
        }

        var ticket = result.Value!;
        if (ticket.DirectUrl is { } storeUrl)
        {
            return TypedResults.Created($"/v1/documents/{ticket.DocumentId}", new UploadUrlResponse(ticket.DocumentId, storeUrl.AbsoluteUri, ticket.ExpiresAt));
        }

        var token = signer.Sign(Purpose, [ticket.OrganizationId, ticket.DocumentId, ticket.Size.ToString(CultureInfo.InvariantCulture)], DirectUpload.Lifetime);
        return TypedResults.Created($"/v1/documents/{ticket.DocumentId}", new UploadUrlResponse(ticket.DocumentId, $"/v1/uploads/{token}", ticket.ExpiresAt));
    }

    internal static async Task<Results<Ok<UploadReceived>, ProblemHttpResult>> ReceiveAsync(string token, HttpRequest request, DirectUpload direct, UrlSigner signer, CancellationToken ct)
    {
        if (signer.Verify(Purpose, token) is not [var organizationId, var documentId, var sizeText]
            || !long.TryParse(sizeText, NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return new Error(ErrorKind.Forbidden, "invalid-signature", "The upload URL is invalid or has expired; ask for a new one.").ToProblem();
        }

        var error = await direct.ReceiveAsync(organizationId, documentId, size, request.ContentLength, request.Body, ct);
        return error is null ? TypedResults.Ok(new UploadReceived(documentId, size)) : error.ToProblem();
    }

    internal static async Task<Results<Accepted<DocumentView>, Ok<DocumentView>, ProblemHttpResult>> CompleteAsync(string id, DirectUpload direct, CancellationToken ct)
    {
        var result = await direct.CompleteAsync(id, ct);
        if (!result.Succeeded)
        {
            return result.Error!.ToProblem();
        }

        var (document, created) = result.Value;
        return created ? TypedResults.Accepted($"/v1/documents/{document.Id}", document) : TypedResults.Ok(document);
    }
}
