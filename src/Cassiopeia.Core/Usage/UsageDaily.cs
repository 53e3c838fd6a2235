using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Usage;

/// <summary>
/// One day's usage of one metric by one member: the sum of that day's <see cref="UsageEvent"/> rows,
/// kept by a trigger on <c>usage_events</c> (upsert in the event's own transaction), so reports read a
/// few rows per day whatever the number of events.
/// </summary>
public sealed class UsageDaily : IOrganizationScoped
{
    public required string OrganizationId { get; set; }

    /// <summary>The UTC day.</summary>
    public DateOnly Date { get; init; }

    public required string Metric { get; init; }

    /// <summary>The member, or the empty string for events without one.</summary>
    public required string UserId { get; init; }

    public long Quantity { get; init; }

    /// <summary>Estimated cost in billionths of a dollar (integer arithmetic in SQL on both providers).</summary>
    public long CostNanoUsd { get; init; }
}
