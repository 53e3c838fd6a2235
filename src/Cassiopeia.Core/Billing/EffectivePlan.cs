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
    /// <summary>The limit for <paramref name="metric"/> in this period, or null when the plan sets none.</summary>
    public long? LimitOf(string metric) => Plan.Limits.TryGetValue(metric, out var limit) ? limit : null;

    public bool Has(string feature) => Plan.Features.Contains(feature, StringComparer.Ordinal);
}

/// <summary>Resolves the plan in force for an organization (subscription state, trial, default plan).</summary>
public interface IOrganizationPlans
{
    ValueTask<EffectivePlan> GetAsync(string organizationId, CancellationToken cancellationToken);
}
