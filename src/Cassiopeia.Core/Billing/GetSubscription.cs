using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Billing;

/// <param name="Plan">The plan in force.</param>
/// <param name="Status">The subscription's status (<c>active</c> on the default plan without one).</param>
/// <param name="CurrentPeriodEnd">When the current billing period (and the quotas counted in it) ends.</param>
/// <param name="SubscribedPlan">The plan of the subscription, also when it is not (or no longer) in force.</param>
/// <param name="CancelAtPeriodEnd">The plan in force ends at <paramref name="CurrentPeriodEnd"/>.</param>
public sealed record SubscriptionView(
    string Plan,
    string Status,
    DateTime CurrentPeriodEnd,
    DateTime? TrialEndsAt,
    DateTime CurrentPeriodStart,
    string? SubscribedPlan,
    bool CancelAtPeriodEnd,
    string Provider)
{
    public static SubscriptionView From(EffectivePlan plan, string provider) =>
        new(plan.PlanId, plan.Status, plan.PeriodEndUtc, plan.TrialEndsAtUtc, plan.PeriodStartUtc, plan.SubscribedPlanId, plan.CancelAtPeriodEnd, provider);
}

/// <summary>The current organization's subscription and the plan in force, read from the database (not the cache).</summary>
public sealed class GetSubscription(AppDbContext db, IOptionsMonitor<PlanOptions> options, IBillingProvider provider, TimeProvider time)
{
    public async Task<SubscriptionView> HandleAsync(CancellationToken ct)
    {
        var row = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(ct);
        var plan = PlanInForce.Resolve(row?.ToState(), options.CurrentValue, time.GetUtcNow().UtcDateTime);
        return SubscriptionView.From(plan, row?.Provider ?? provider.Name);
    }
}
