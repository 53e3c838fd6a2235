using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Billing;

/// <summary>
/// An organization's subscription as last applied (one row per organization): the plan bought, the
/// provider's status and period, and what ordering later changes needs (the time and id of the last
/// event applied). A row with no plan holds only the Stripe customer created for a checkout.
/// </summary>
public sealed class Subscription : IOrganizationScoped
{
    public string OrganizationId { get; set; } = "";

    /// <summary><c>stripe</c> or <c>local</c>.</summary>
    public required string Provider { get; set; }

    /// <summary>The plan subscribed to; null while the row only holds a customer.</summary>
    public string? PlanId { get; set; }

    /// <summary>The provider's status (Stripe's names: <c>active</c>, <c>trialing</c>, <c>past_due</c>, …); <c>none</c> without a subscription.</summary>
    public required string Status { get; set; }

    public string? StripeCustomerId { get; set; }

    public string? StripeSubscriptionId { get; set; }

    public DateTime? CurrentPeriodStartUtc { get; set; }

    public DateTime? CurrentPeriodEndUtc { get; set; }

    public DateTime? TrialEndUtc { get; set; }

    public bool CancelAtPeriodEnd { get; set; }

    /// <summary>Creation time of the newest event applied; an older event never overwrites the row.</summary>
    public DateTime? LastEventUtc { get; set; }

    public string? LastEventId { get; set; }

    /// <summary>Optimistic concurrency: every write increments it, so two writers cannot both apply a change read from the same state.</summary>
    public long Version { get; set; }

    public DateTime CreatedUtc { get; set; }

    public DateTime UpdatedUtc { get; set; }

    public SubscriptionState ToState() => new(PlanId, Status, CurrentPeriodStartUtc, CurrentPeriodEndUtc, TrialEndUtc, CancelAtPeriodEnd, Provider);
}
