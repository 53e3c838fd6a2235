using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Audit;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/audit-events", ListAsync).WithName("ListAuditEvents").WithTags("Audit").RequireRole(Role.Admin, ApiKeyScopes.Admin);
        return app;
    }

    internal static async Task<Results<Ok<PageResponse<AuditEventView>>, ProblemHttpResult>> ListAsync(int? limit, string? cursor, ListAuditEvents list, CancellationToken ct)
    {
        var page = Pagination.Read(limit, cursor);
        if (!page.Succeeded)
        {
            return page.Error!.ToProblem();
        }

        var result = await list.HandleAsync(page.Value!, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!.ToResponse()) : result.Error!.ToProblem();
    }
}
