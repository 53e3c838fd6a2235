using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Interviews.Feedback;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Interviews;

public static class FeedbackEndpoints
{
    public static IEndpointRouteBuilder MapFeedbackEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapPost("/v1/feedback", GiveAsync).WithName("GiveFeedback").WithTags("Interview practice").RequireRole(Role.Member, ApiKeyScopes.Ai).WithIdempotency();
        return app;
    }

    /// <summary>Stores the caller's rating (-1 or 1) of an AI output.</summary>
    internal static async Task<Results<Created<FeedbackView>, ProblemHttpResult>> GiveAsync(GiveFeedbackRequest request, GiveFeedback give, CancellationToken ct)
    {
        var result = await give.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created((string?)null, result.Value) : result.Error!.ToProblem();
    }
}
