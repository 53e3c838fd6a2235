using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Usage;

/// <summary>
/// One billable action: who did it, which metric it counts toward, how much and what it is estimated
/// to cost. Append-only; a database trigger adds each one to its day's <see cref="UsageDaily"/> row in
/// the same transaction, and reports read those roll-ups.
/// </summary>
public sealed class UsageEvent : IOrganizationScoped
{
    public long Id { get; init; }

    public required string OrganizationId { get; set; }

    /// <summary>The member who acted (for an API key, the key's owner; for ingestion, the uploader).</summary>
    public string? UserId { get; init; }

    public string? ApiKeyId { get; init; }

    /// <summary>One of <see cref="Billing.Metrics"/>.</summary>
    public required string Metric { get; init; }

    public long Quantity { get; init; }

    /// <summary>Estimated cost from the price table (<c>Usage:Prices</c>), stored in billionths of a dollar.</summary>
    public decimal CostUsd { get; init; }

    /// <summary>The model that did the work, for <see cref="Billing.Metrics.LlmTokens"/>.</summary>
    public string? Model { get; init; }

    public DateTime OccurredUtc { get; init; }

    /// <summary>
    /// Events saved together, those of one organization, member, key, metric, model and day summed into
    /// one (quantity and cost; the latest time): the same roll-ups and reports, one row instead of many
    /// when a batch of uploads or ingested documents commits at once. New, unsaved events.
    /// </summary>
    public static IEnumerable<UsageEvent> Combine(IEnumerable<UsageEvent> events) =>
        events.GroupBy(e => (e.OrganizationId, e.UserId, e.ApiKeyId, e.Metric, e.Model, e.OccurredUtc.Date))
            .Select(g => new UsageEvent
            {
                OrganizationId = g.Key.OrganizationId,
                UserId = g.Key.UserId,
                ApiKeyId = g.Key.ApiKeyId,
                Metric = g.Key.Metric,
                Model = g.Key.Model,
                Quantity = g.Sum(e => e.Quantity),
                CostUsd = g.Sum(e => e.CostUsd),
                OccurredUtc = g.Max(e => e.OccurredUtc),
            });
}
