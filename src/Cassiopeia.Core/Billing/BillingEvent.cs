namespace Cassiopeia.Core.Billing;

/// <summary>
/// A provider event (a Stripe webhook, a completed local checkout) that has been processed. The id
/// is the primary key, so an event is processed exactly once: its row commits in the same
/// transaction as the change it caused, and a second delivery finds it.
/// </summary>
public sealed class BillingEvent
{
    public required string Id { get; init; }

    public required string Provider { get; init; }

    public required string Type { get; init; }

    /// <summary>The organization it concerned, when one was found.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>When the provider created the event.</summary>
    public DateTime OccurredUtc { get; init; }

    public DateTime ProcessedUtc { get; init; }

    /// <summary>What processing did: <c>applied</c>, <c>unchanged</c>, <c>stale</c> or <c>ignored</c>.</summary>
    public required string Outcome { get; init; }
}
