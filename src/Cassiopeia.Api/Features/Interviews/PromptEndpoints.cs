using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Interviews.Prompts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Interviews;

public static class PromptEndpoints
{
    public static IEndpointRouteBuilder MapPromptEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/prompts").WithTags("Interview practice");
        group.MapGet("/", ListAsync).WithName("ListPromptVersions").RequireRole(Role.Viewer, ApiKeyScopes.Ai);
        group.MapPost("/", AddAsync).WithName("AddPromptVersion").RequireRole(Role.Admin, ApiKeyScopes.Admin).WithIdempotency();
        return app;
    }

    /// <summary>The prompt and rubric versions the organization sees (built-in and its own); <c>active</c> marks the ones in force.</summary>
    internal static async Task<Results<Ok<PageResponse<PromptVersionView>>, ProblemHttpResult>> ListAsync(string? kind, int? limit, string? cursor, PromptVersions versions, CancellationToken ct)
    {
        var page = Pagination.Read(limit, cursor);
        if (!page.Succeeded)
        {
            return page.Error!.ToProblem();
        }

        var result = await versions.ListAsync(kind, page.Value!, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!.ToResponse()) : result.Error!.ToProblem();
    }

    /// <summary>Adds a version for the organization; it becomes the active one of its kind.</summary>
    internal static async Task<Results<Created<PromptVersionView>, ProblemHttpResult>> AddAsync(AddPromptVersionRequest request, AddPromptVersion add, CancellationToken ct)
    {
        var result = await add.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created($"/v1/prompts?kind={result.Value!.Kind}", result.Value) : result.Error!.ToProblem();
    }
}
