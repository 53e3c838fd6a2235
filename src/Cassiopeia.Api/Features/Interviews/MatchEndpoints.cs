using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Interviews.Matching;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Interviews;

public static class MatchEndpoints
{
    public static IEndpointRouteBuilder MapMatchEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/matches").WithTags("Interview practice");
        group.MapPost("/", CreateAsync).WithName("CreateMatch").RequireRole(Role.Member, ApiKeyScopes.Ai).WithIdempotency();
        group.MapGet("/{id}", GetAsync).WithName("GetMatch").RequireRole(Role.Viewer, ApiKeyScopes.Ai).WithETag();
        return app;
    }

    /// <summary>Scores a ready CV against a ready job description, with evidence per requirement and integrity flags.</summary>
    internal static async Task<Results<Created<MatchView>, ProblemHttpResult>> CreateAsync(CreateMatchRequest request, CreateMatch create, CancellationToken ct)
    {
        var result = await create.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created($"/v1/matches/{result.Value!.Id}", result.Value) : result.Error!.ToProblem();
    }

    internal static async Task<Results<Ok<MatchView>, ProblemHttpResult>> GetAsync(string id, GetMatch get, CancellationToken ct) =>
        await get.HandleAsync(id, ct) is { } match ? TypedResults.Ok(match) : Problems.NotFound("match");
}
