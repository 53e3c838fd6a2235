using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Billing;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Billing;

public static class BillingEndpoints
{
    public static IEndpointRouteBuilder MapBillingEndpoints(this IEndpointRouteBuilder app)
    {
        // Members read the plan they are on; only owners buy or manage it (API keys: scope billing).
        var group = app.MapGroup("/v1/billing").WithTags("Billing");
        group.MapGet("/plans", ListPlans).WithName("ListPlans").RequireRole(Role.Viewer);
        group.MapGet("/subscription", GetSubscriptionAsync).WithName("GetSubscription").RequireRole(Role.Viewer);
        group.MapPost("/checkout", CheckoutAsync).WithName("StartCheckout").RequireRole(Role.Owner, ApiKeyScopes.Billing).WithIdempotency();
        group.MapPost("/portal", PortalAsync).WithName("OpenBillingPortal").RequireRole(Role.Owner, ApiKeyScopes.Billing).WithIdempotency();
        app.MapStripeWebhookEndpoint();
        app.MapLocalBillingEndpoints();
        return app;
    }

    /// <summary>The plans on offer with their limits per billing period and features.</summary>
    internal static Ok<PageResponse<PlanView>> ListPlans(ListPlans plans) =>
        TypedResults.Ok(new PageResponse<PlanView>(plans.Handle(), null));

    /// <summary>The plan in force, the subscription's status and the current billing period.</summary>
    internal static async Task<Ok<SubscriptionView>> GetSubscriptionAsync(GetSubscription get, CancellationToken ct) =>
        TypedResults.Ok(await get.HandleAsync(ct));

    /// <summary>Starts buying a plan: a Stripe Checkout URL, or with the local provider a URL to POST to.</summary>
    internal static async Task<Results<Created<CheckoutResponse>, ProblemHttpResult>> CheckoutAsync(CheckoutRequest request, StartCheckout checkout, CancellationToken ct)
    {
        var result = await checkout.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created((string?)null, result.Value) : result.Error!.ToProblem();
    }

    /// <summary>A billing portal URL where the owner changes or cancels the subscription.</summary>
    internal static async Task<Results<Created<PortalResponse>, ProblemHttpResult>> PortalAsync(OpenPortal portal, CancellationToken ct)
    {
        var result = await portal.HandleAsync(ct);
        return result.Succeeded ? TypedResults.Created((string?)null, result.Value) : result.Error!.ToProblem();
    }
}
