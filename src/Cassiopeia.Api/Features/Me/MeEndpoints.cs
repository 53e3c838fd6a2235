using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Me;

public static class MeEndpoints
{
    public static IEndpointRouteBuilder MapMeEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/v1/me", GetMeAsync).WithName("GetMe").WithTags("Auth").RequireAuthorization(Policies.Authenticated).WithETag();
        return app;
    }

    internal static async Task<Results<Ok<MeResponse>, ProblemHttpResult>> GetMeAsync(GetMe getMe, CancellationToken ct)
    {
        var me = await getMe.HandleAsync(ct);
        return me is null
            ? new Core.Common.Error(Core.Common.ErrorKind.Unauthorized, "unauthorized", "The account no longer exists.").ToProblem()
            : TypedResults.Ok(me);
    }
}
