namespace Cassiopeia.Core.Billing;

/// <summary>
/// What an organization may do right now: the plan in force, its limits and features, and the
/// billing period that quotas count within (usage resets at <see cref="PeriodEndUtc"/>).
/// </summary>
public sealed record EffectivePlan(
    string PlanId,
    PlanDefinition Plan,
    DateTime PeriodStartUtc,
    DateTime PeriodEndUtc)
{
    /// <summary>The subscription's status as reported to the organization (<c>active</c> on the default plan without a subscription).</summary>
    public string Status { get; init; } = SubscriptionStatuses.Active;

    /// <summary>The plan of the subscription, also when it is no longer in force (lapsed, unpaid); null without one.</summary>
    public string? SubscribedPlanId { get; init; }

    public DateTime? TrialEndsAtUtc { get; init; }

    /// <summary>True when the plan ends at <see cref="PeriodEndUtc"/> (canceled, or set to cancel at period end).</summary>
    public bool CancelAtPeriodEnd { get; init; }

    /// <summary>The limit for <paramref name="metric"/> in this period, or null when the plan sets none.</summary>
    public long? LimitOf(string metric) => Plan.Limits.TryGetValue(metric, out var limit) ? limit : null;

    public bool Has(string feature) => Plan.Features.Contains(feature, StringComparer.Ordinal);
}

/// <summary>Resolves the plan in force for an organization (subscription state, trial, default plan).</summary>
public interface IOrganizationPlans
{
    ValueTask<EffectivePlan> GetAsync(string organizationId, CancellationToken cancellationToken);
}
