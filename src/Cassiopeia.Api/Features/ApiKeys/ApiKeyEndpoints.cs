using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.ApiKeys;

public static class ApiKeyEndpoints
{
    public static IEndpointRouteBuilder MapApiKeyEndpoints(this IEndpointRouteBuilder app)
    {
        // With an API key, managing keys needs the admin scope: a leaked document key cannot mint more keys.
        var group = app.MapGroup("/v1/api-keys").WithTags("API keys");
        group.MapPost("/", CreateAsync).WithName("CreateApiKey").RequireRole(Role.Member, ApiKeyScopes.Admin).WithIdempotency();
        group.MapGet("/", ListAsync).WithName("ListApiKeys").RequireRole(Role.Viewer, ApiKeyScopes.Admin);
        group.MapGet("/{id}", GetAsync).WithName("GetApiKey").RequireRole(Role.Viewer, ApiKeyScopes.Admin).WithETag();
        group.MapDelete("/{id}", RevokeAsync).WithName("RevokeApiKey").RequireRole(Role.Viewer, ApiKeyScopes.Admin);
        return app;
    }

    internal static async Task<Results<Created<CreatedApiKey>, ProblemHttpResult>> CreateAsync(CreateApiKeyRequest request, CreateApiKey create, CancellationToken ct)
    {
        var result = await create.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created($"/v1/api-keys/{result.Value!.Id}", result.Value) : result.Error!.ToProblem();
    }

    internal static async Task<Results<Ok<PageResponse<ApiKeyView>>, ProblemHttpResult>> ListAsync(int? limit, string? cursor, ListApiKeys list, CancellationToken ct)
    {
        var page = Pagination.Read(limit, cursor);
        return page.Succeeded ? TypedResults.Ok((await list.HandleAsync(page.Value!, ct)).ToResponse()) : page.Error!.ToProblem();
    }

    internal static async Task<Results<Ok<ApiKeyView>, ProblemHttpResult>> GetAsync(string id, ListApiKeys list, CancellationToken ct) =>
        await list.GetAsync(id, ct) is { } key ? TypedResults.Ok(key) : Problems.NotFound("API key");

    internal static async Task<Results<NoContent, ProblemHttpResult>> RevokeAsync(string id, RevokeApiKey revoke, CancellationToken ct) =>
        await revoke.HandleAsync(id, ct) is { } error ? error.ToProblem() : TypedResults.NoContent();
}
