using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Search;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Search;

public static class SearchEndpoints
{
    public static IEndpointRouteBuilder MapSearchEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/search", SearchAsync).WithName("Search").WithTags("Search").RequireRole(Role.Viewer, ApiKeyScopes.DocumentsRead);
        return app;
    }

    internal static async Task<Results<Ok<SearchResponse>, ProblemHttpResult>> SearchAsync(SearchRequest request, SearchChunks search, CancellationToken ct)
    {
        var result = await search.RunAsync(request, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Error!.ToProblem();
    }
}
