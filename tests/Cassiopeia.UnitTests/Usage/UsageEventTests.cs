using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Usage;

namespace Cassiopeia.UnitTests.Usage;

public sealed class UsageEventTests
{
    private static readonly DateTime Noon = new(2026, 12, 6, 12, 0, 0, DateTimeKind.Utc);

    private static UsageEvent Event(string user, string? key, string metric, long quantity, DateTime at, string organization = "org_a") => new()
    {
        OrganizationId = organization,
        UserId = user,
        ApiKeyId = key,
        Metric = metric,
        Quantity = quantity,
        CostUsd = quantity * 0.002m,
        OccurredUtc = at,
    };

    [Fact]
    public void Events_of_one_member_metric_and_day_become_one_with_their_sums()
    {
        var combined = UsageEvent.Combine(
        [
            Event("usr_1", null, Metrics.PagesIngested, 3, Noon),
            Event("usr_1", null, Metrics.PagesIngested, 4, Noon.AddSeconds(2)),
            Event("usr_1", null, Metrics.PagesIngested, 1, Noon.AddSeconds(1)),
        ]).ToList();

        var one = Assert.Single(combined);
        Assert.Equal((8L, 0.016m, Noon.AddSeconds(2), "usr_1", Metrics.PagesIngested), (one.Quantity, one.CostUsd, one.OccurredUtc, one.UserId, one.Metric));
        Assert.Equal(0, one.Id);
    }

    [Fact]
    public void Members_keys_metrics_organizations_and_days_stay_apart()
    {
        var events = new[]
        {
            Event("usr_1", null, Metrics.Documents, 1, Noon),
            Event("usr_2", null, Metrics.Documents, 1, Noon),
            Event("usr_1", "key_1", Metrics.Documents, 1, Noon),
            Event("usr_1", null, Metrics.PagesIngested, 1, Noon),
            Event("usr_1", null, Metrics.Documents, 1, Noon, organization: "org_b"),
            Event("usr_1", null, Metrics.Documents, 1, Noon.AddHours(12)),
        };

        var combined = UsageEvent.Combine(events).ToList();

        Assert.Equal(events.Length, combined.Count);
        Assert.Equal(events.Sum(e => e.Quantity), combined.Sum(e => e.Quantity));
    }
}
