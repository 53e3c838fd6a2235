using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Infrastructure.Billing.Local;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Billing;

/// <summary>The local provider's checkout and portal (embedded profile); 404 while Stripe is configured.</summary>
public static class LocalBillingEndpoints
{
    public static IEndpointRouteBuilder MapLocalBillingEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/billing/local").WithTags("Billing");
        group.MapPost("/checkout/{token}", CompleteCheckoutAsync).WithName("CompleteLocalCheckout").RequireRole(Role.Owner, ApiKeyScopes.Billing);
        group.MapGet("/portal/{token}", ViewPortalAsync).WithName("LocalBillingPortal").RequireRole(Role.Owner, ApiKeyScopes.Billing);
        group.MapPost("/portal/{token}/cancel", CancelAsync).WithName("CancelLocalSubscription").RequireRole(Role.Owner, ApiKeyScopes.Billing);
        return app;
    }

    /// <summary>Completes a local checkout (once): the plan changes at once.</summary>
    internal static Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> CompleteCheckoutAsync(string token, IBillingProvider provider, LocalBilling local, CancellationToken ct) =>
        RunAsync(provider, () => local.CompleteCheckoutAsync(token, ct));

    /// <summary>The subscription as the local billing portal shows it.</summary>
    internal static Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> ViewPortalAsync(string token, IBillingProvider provider, LocalBilling local, CancellationToken ct) =>
        RunAsync(provider, () => local.ViewPortalAsync(token, ct));

    /// <summary>Cancels the local subscription at the end of the current period.</summary>
    internal static Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> CancelAsync(string token, IBillingProvider provider, LocalBilling local, CancellationToken ct) =>
        RunAsync(provider, () => local.CancelAsync(token, ct));

    private static async Task<Results<Ok<SubscriptionView>, ProblemHttpResult>> RunAsync(IBillingProvider provider, Func<Task<Result<SubscriptionView>>> action)
    {
        if (provider.Name != BillingProviders.Local)
        {
            return new Error(ErrorKind.NotFound, "local-billing-disabled", "Local billing is off: plans are bought through Stripe.").ToProblem();
        }

        var result = await action();
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }
}
