using Cassiopeia.Core.Billing;

namespace Cassiopeia.Infrastructure.Billing.Stripe;

/// <summary>Reads what billing needs from a Stripe subscription object.</summary>
public static class StripeSubscriptionMapper
{
    public const string OrganizationKey = "organization_id";
    public const string PlanKey = "plan_id";

    /// <summary>
    /// The plan comes from the price of the subscription's first item (the configured
    /// <c>StripePriceId</c>), else the <c>plan_id</c> checkout put in its metadata. The period is the
    /// item's (Stripe keeps it there since API version 2025-03-31). A cancellation scheduled with
    /// <c>cancel_at</c> counts as a cancellation at period end, the period ending then.
    /// </summary>
    public static SubscriptionSnapshot ToSnapshot(global::Stripe.Subscription subscription, PlanOptions plans)
    {
        var item = subscription.Items?.Data?.FirstOrDefault();
        var priceId = item?.Price?.Id;
        var planId = plans.Plans.FirstOrDefault(p => priceId is not null && p.Value.StripePriceId == priceId).Key;
        if (planId is null && subscription.Metadata?.TryGetValue(PlanKey, out var fromMetadata) == true && plans.Plans.ContainsKey(fromMetadata))
        {
            planId = fromMetadata;
        }

        var periodStart = Utc(item?.CurrentPeriodStart);
        var periodEnd = Utc(item?.CurrentPeriodEnd);
        var cancelAt = Utc(subscription.CancelAt);
        if (cancelAt is not null && (periodEnd is null || cancelAt < periodEnd))
        {
            periodEnd = cancelAt;
        }

        return new SubscriptionSnapshot(
            planId,
            subscription.Status ?? SubscriptionStatuses.Incomplete,
            subscription.CustomerId,
            subscription.Id,
            periodStart,
            periodEnd,
            Utc(subscription.TrialEnd),
            subscription.CancelAtPeriodEnd || cancelAt is not null);
    }

    private static DateTime? Utc(DateTime? value) => value is { } v && v > DateTime.UnixEpoch ? DateTime.SpecifyKind(v, DateTimeKind.Utc) : null;
}
