using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Billing;

public sealed record CheckoutRequest(string? PlanId);

public sealed record CheckoutResponse(string CheckoutUrl);

/// <summary>
/// Starts buying a plan for the current organization. Refused: an unknown plan, one the provider does
/// not sell (no Stripe price, the default plan), the plan already in force, and — with Stripe — any
/// new plan while a Stripe subscription runs (plans change in the billing portal, never by a second
/// subscription billed beside the first).
/// </summary>
public sealed class StartCheckout(AppDbContext db, IBillingProvider provider, IOptionsMonitor<PlanOptions> options, TimeProvider time)
{
    public async Task<Result<CheckoutResponse>> HandleAsync(CheckoutRequest request, CancellationToken ct)
    {
        var plans = options.CurrentValue;
        var validation = new Validation().Text(request.PlanId, "planId", 64, required: true);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (!plans.Plans.TryGetValue(request.PlanId!, out var plan))
        {
            return Error.Validation("planId", $"Unknown plan. Plans: {string.Join(", ", plans.Plans.Keys.Order(StringComparer.Ordinal))}.");
        }

        if (provider.WhyNotForSale(request.PlanId!, plan) is { } reason)
        {
            return Error.Validation("planId", reason);
        }

        var row = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(ct);
        var inForce = PlanInForce.Resolve(row?.ToState(), plans, time.GetUtcNow().UtcDateTime);
        if (inForce.PlanId == request.PlanId)
        {
            return new Error(ErrorKind.Conflict, "plan-in-force", $"The organization is already on the {plan.Name} plan.");
        }

        if (row is { Provider: BillingProviders.Stripe, StripeSubscriptionId: not null } && provider.Name == BillingProviders.Stripe
            && SubscriptionStatuses.IsLive(row.Status))
        {
            return new Error(ErrorKind.Conflict, "subscription-exists", "The organization has a subscription: change its plan in the billing portal (POST /v1/billing/portal).");
        }

        var url = await provider.CreateCheckoutAsync(request.PlanId!, plan, ct);
        return url.Succeeded ? new CheckoutResponse(url.Value!) : url.Error!;
    }
}
