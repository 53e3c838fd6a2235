namespace Cassiopeia.Core.Billing;

/// <summary>A subscription as a provider describes it at one moment (an event's object, or a fresh read of the provider's API).</summary>
public sealed record SubscriptionSnapshot(
    string? PlanId,
    string Status,
    string? CustomerId,
    string? SubscriptionId,
    DateTime? PeriodStartUtc,
    DateTime? PeriodEndUtc,
    DateTime? TrialEndUtc,
    bool CancelAtPeriodEnd);

/// <summary>A provider event: its unique id, what happened, and when the provider created it.</summary>
public sealed record BillingEventInfo(string Id, string Provider, string Type, DateTime OccurredUtc);

/// <summary>What processing an event did.</summary>
public enum BillingEventOutcome
{
    /// <summary>The subscription changed.</summary>
    Applied,

    /// <summary>Processed; the subscription already said the same.</summary>
    Unchanged,

    /// <summary>Processed; older than what is stored (or about a subscription that was replaced), so it changed nothing.</summary>
    Stale,

    /// <summary>Processed; nothing to do (an event type or an organization we do not track).</summary>
    Ignored,

    /// <summary>The event id had been processed before: nothing happened this time.</summary>
    Replayed,
}
