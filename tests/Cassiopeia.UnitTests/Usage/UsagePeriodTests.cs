using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Usage;

namespace Cassiopeia.UnitTests.Usage;

public sealed class UsagePeriodTests
{
    private static readonly DateOnly Today = new(2026, 11, 23);

    [Fact]
    public void A_report_defaults_to_the_thirty_days_ending_today()
    {
        var range = UsageRange.Parse(null, null, Today).Value!;
        Assert.Equal(new DateOnly(2026, 10, 25), range.From);
        Assert.Equal(Today, range.To);
        Assert.Equal(30, range.Days);
        Assert.Equal(new DateOnly(2026, 2, 1), UsageRange.Parse(null, "2026-03-02", Today).Value!.From);
    }

    [Theory]
    [InlineData("2024-01-01", "2024-12-31", 366)] // a leap year, whole
    [InlineData("2026-05-01", "2026-05-01", 1)]
    [InlineData("2025-11-23", "2026-11-23", 366)]
    public void Ranges_up_to_366_days_are_accepted(string from, string to, int days) =>
        Assert.Equal(days, UsageRange.Parse(from, to, Today).Value!.Days);

    [Theory]
    [InlineData("2024-01-01", "2025-01-01", "to")]
    [InlineData("2026-05-02", "2026-05-01", "from")]
    [InlineData("2026-13-01", null, "from")]
    [InlineData("2026-5-1", null, "from")]
    [InlineData(null, "2026-02-29", "to")]
    [InlineData(null, "tomorrow", "to")]
    public void Bad_ranges_name_the_field(string? from, string? to, string field)
    {
        var error = UsageRange.Parse(from, to, Today).Error;
        Assert.NotNull(error);
        Assert.Equal(ErrorKind.Validation, error.Kind);
        Assert.Contains(field, error.Fields!.Keys);
    }

    [Fact]
    public void An_event_counts_in_its_utc_day()
    {
        Assert.Equal(new DateOnly(2026, 11, 23), UsageRange.DayOf(new DateTime(2026, 11, 23, 23, 59, 59, DateTimeKind.Utc)));
        Assert.Equal(new DateOnly(2026, 11, 24), UsageRange.DayOf(new DateTime(2026, 11, 24, 0, 0, 0, DateTimeKind.Utc)));
    }

    [Theory]
    [InlineData("2026-11-23T17:00:00Z", "2026-11-01", "2026-12-01")]
    [InlineData("2026-12-31T23:59:59Z", "2026-12-01", "2027-01-01")]
    [InlineData("2027-01-01T00:00:00Z", "2027-01-01", "2027-02-01")]
    [InlineData("2028-02-29T12:00:00Z", "2028-02-01", "2028-03-01")]
    public void Without_a_subscription_quotas_count_in_calendar_months_and_reset_at_the_next(string now, string start, string end)
    {
        var nowUtc = DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime;
        var plan = PlanInForce.Resolve(null, new PlanOptions(), nowUtc);
        Assert.Equal("free", plan.PlanId);
        Assert.Equal(DateTime.Parse(start + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime(), plan.PeriodStartUtc);
        Assert.Equal(DateTime.Parse(end + "T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture).ToUniversalTime(), plan.PeriodEndUtc);
        Assert.Equal(DateTimeKind.Utc, plan.PeriodStartUtc.Kind);
    }

    [Fact]
    public void The_quota_problem_names_the_metric_the_limit_and_the_reset()
    {
        var plan = new EffectivePlan("free", new PlanOptions().Plans["free"], new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc), new DateTime(2026, 12, 1, 0, 0, 0, DateTimeKind.Utc));
        var error = Quotas.Exceeded(plan, Metrics.Asks, 50);
        Assert.Equal(ErrorKind.QuotaExceeded, error.Kind);
        Assert.Equal("quota-exceeded", error.Code);
        Assert.Contains("50 asks", error.Detail, StringComparison.Ordinal);
        Assert.Contains("2026-12-01T00:00:00Z", error.Detail, StringComparison.Ordinal);
        Assert.Equal(Metrics.Asks, error.Extensions!["metric"]);
        Assert.Equal(50L, error.Extensions["limit"]);
    }
}
