using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Usage;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Usage;

public static class UsageEndpoints
{
    public static IEndpointRouteBuilder MapUsageEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/usage", GetAsync).WithName("GetUsage").WithTags("Usage").RequireRole(Role.Viewer, ApiKeyScopes.Billing);
        return app;
    }

    /// <summary>
    /// The organization's usage by day (<c>?from=&amp;to=</c> as <c>yyyy-MM-dd</c>, at most 366 days,
    /// <c>granularity=day</c>), totals over the range and the plan's limits in the current period;
    /// <c>by=member</c> (admins and owners) breaks it down per member.
    /// </summary>
    internal static async Task<Results<Ok<UsageReport>, ProblemHttpResult>> GetAsync(
        string? from, string? to, string? granularity, string? by, GetUsage usage, CancellationToken ct)
    {
        var result = await usage.HandleAsync(new UsageQuery(from, to, granularity, by), ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Error!.ToProblem();
    }
}
