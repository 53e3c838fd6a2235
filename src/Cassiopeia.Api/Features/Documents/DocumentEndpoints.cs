using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Documents;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.Features.Documents;

public static class DocumentEndpoints
{
    public static IEndpointRouteBuilder MapDocumentEndpoints(this IEndpointRouteBuilder app)
    {
        // The whole multipart body may exceed the file limit only by a little (headers and fields).
        var maxBody = app.ServiceProvider.GetRequiredService<IOptions<DocumentOptions>>().Value.MaxFileBytes + (64 * 1024);
        var group = app.MapGroup("/v1/documents").WithTags("Documents");
        group.MapPost("/", DocumentUploadEndpoint.UploadAsync).WithName("UploadDocument").RequireRole(Role.Member, ApiKeyScopes.DocumentsWrite)
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(maxBody)).DisableAntiforgery().WithIdempotency();
        group.MapPost("/upload-url", DirectUploadEndpoints.CreateAsync).WithName("CreateUploadUrl").RequireRole(Role.Member, ApiKeyScopes.DocumentsWrite).WithIdempotency();
        group.MapPost("/{id}/complete", DirectUploadEndpoints.CompleteAsync).WithName("CompleteUpload").RequireRole(Role.Member, ApiKeyScopes.DocumentsWrite);
        app.MapPut("/v1/uploads/{token}", DirectUploadEndpoints.ReceiveAsync).WithName("PutUpload").WithTags("Documents").AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(maxBody));
        group.MapGet("/", ListAsync).WithName("ListDocuments").RequireRole(Role.Viewer, ApiKeyScopes.DocumentsRead);
        group.MapGet("/{id}", GetAsync).WithName("GetDocument").RequireRole(Role.Viewer, ApiKeyScopes.DocumentsRead).WithETag();
        group.MapGet("/{id}/versions", VersionsAsync).WithName("ListDocumentVersions").RequireRole(Role.Viewer, ApiKeyScopes.DocumentsRead);
        group.MapGet("/{id}/chunks", DocumentIngestionEndpoints.ChunksAsync).WithName("ListDocumentChunks").RequireRole(Role.Viewer, ApiKeyScopes.DocumentsRead);
        group.MapGet("/{id}/events", DocumentIngestionEndpoints.EventsAsync).WithName("DocumentEvents").RequireRole(Role.Viewer, ApiKeyScopes.DocumentsRead);
        group.MapPost("/{id}/retry", DocumentIngestionEndpoints.RetryAsync).WithName("RetryDocument").RequireRole(Role.Admin, ApiKeyScopes.Admin);
        group.MapGet("/{id}/content", DocumentContentEndpoints.RedirectAsync).WithName("GetDocumentContent").RequireRole(Role.Viewer, ApiKeyScopes.DocumentsRead);
        group.MapDelete("/{id}", DeleteAsync).WithName("DeleteDocument").RequireRole(Role.Member, ApiKeyScopes.DocumentsWrite);
        app.MapGet("/v1/files/{token}", DocumentContentEndpoints.DownloadAsync).WithName("DownloadFile").WithTags("Documents").AllowAnonymous();
        return app;
    }

    internal static async Task<Results<Ok<PageResponse<DocumentView>>, ProblemHttpResult>> ListAsync(string? kind, string? status, int? limit, string? cursor, DocumentQueries documents, CancellationToken ct)
    {
        var page = Pagination.Read(limit, cursor);
        if (!page.Succeeded)
        {
            return page.Error!.ToProblem();
        }

        var result = await documents.ListAsync(new DocumentFilter(kind, status), page.Value!, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!.ToResponse()) : result.Error!.ToProblem();
    }

    internal static async Task<Results<Ok<DocumentView>, ProblemHttpResult>> GetAsync(string id, DocumentQueries documents, CancellationToken ct) =>
        await documents.GetAsync(id, ct) is { } document ? TypedResults.Ok(document) : Problems.NotFound("document");

    internal static async Task<Results<Ok<PageResponse<DocumentView>>, ProblemHttpResult>> VersionsAsync(string id, DocumentQueries documents, CancellationToken ct) =>
        await documents.VersionsAsync(id, ct) is { } versions ? TypedResults.Ok(new PageResponse<DocumentView>(versions, null)) : Problems.NotFound("document");

    internal static async Task<Results<NoContent, ProblemHttpResult>> DeleteAsync(string id, DocumentQueries documents, CancellationToken ct) =>
        await documents.DeleteAsync(id, ct) ? TypedResults.NoContent() : Problems.NotFound("document");
}
