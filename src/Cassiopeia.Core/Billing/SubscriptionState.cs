namespace Cassiopeia.Core.Billing;

/// <summary>The stored facts about a subscription that decide the plan in force (cached per organization).</summary>
[System.ComponentModel.ImmutableObject(true)]
public sealed record SubscriptionState(
    string? PlanId,
    string Status,
    DateTime? PeriodStartUtc,
    DateTime? PeriodEndUtc,
    DateTime? TrialEndUtc,
    bool CancelAtPeriodEnd,
    string Provider);
