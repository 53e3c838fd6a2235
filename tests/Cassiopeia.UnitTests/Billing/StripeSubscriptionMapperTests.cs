using Cassiopeia.Core.Billing;
using Cassiopeia.Infrastructure.Billing.Stripe;
using Stripe;

namespace Cassiopeia.UnitTests.Billing;

public sealed class StripeSubscriptionMapperTests
{
    private static readonly PlanOptions Plans = WithPrices();

    private static PlanOptions WithPrices()
    {
        var options = new PlanOptions();
        options.Plans["pro"].StripePriceId = "price_pro";
        options.Plans["team"].StripePriceId = "price_team";
        return options;
    }

    private static global::Stripe.Subscription Parse(string json) => StripeEntity.FromJson<global::Stripe.Subscription>(json);

    private static string Json(string price, string status = "active", string extra = "") => $$$"""
        {"id": "sub_1", "object": "subscription", "customer": "cus_1", "status": "{{{status}}}", "cancel_at_period_end": false,
         "metadata": {"organization_id": "org_1", "plan_id": "pro"} {{{extra}}},
         "items": {"object": "list", "data": [{"id": "si_1", "object": "subscription_item", "quantity": 1,
           "price": {"id": "{{{price}}}", "object": "price"}, "current_period_start": 1780000000, "current_period_end": 1782592000}]}}
        """;

    [Fact]
    public void Plan_comes_from_the_price_and_the_period_from_the_item()
    {
        var snapshot = StripeSubscriptionMapper.ToSnapshot(Parse(Json("price_team")), Plans);
        Assert.Equal("team", snapshot.PlanId);
        Assert.Equal("active", snapshot.Status);
        Assert.Equal("cus_1", snapshot.CustomerId);
        Assert.Equal("sub_1", snapshot.SubscriptionId);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1780000000).UtcDateTime, snapshot.PeriodStartUtc);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1782592000).UtcDateTime, snapshot.PeriodEndUtc);
        Assert.Equal(DateTimeKind.Utc, snapshot.PeriodEndUtc!.Value.Kind);
        Assert.False(snapshot.CancelAtPeriodEnd);
        Assert.Null(snapshot.TrialEndUtc);
    }

    [Fact]
    public void An_unknown_price_falls_back_to_the_plan_in_metadata() =>
        Assert.Equal("pro", StripeSubscriptionMapper.ToSnapshot(Parse(Json("price_legacy")), Plans).PlanId);

    [Fact]
    public void Cancel_at_ends_the_period_early_and_counts_as_cancelling()
    {
        var snapshot = StripeSubscriptionMapper.ToSnapshot(Parse(Json("price_pro", extra: ", \"cancel_at\": 1781000000")), Plans);
        Assert.True(snapshot.CancelAtPeriodEnd);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1781000000).UtcDateTime, snapshot.PeriodEndUtc);
    }

    [Fact]
    public void Trial_end_is_read()
    {
        var snapshot = StripeSubscriptionMapper.ToSnapshot(Parse(Json("price_pro", "trialing", ", \"trial_end\": 1781000000")), Plans);
        Assert.Equal("trialing", snapshot.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1781000000).UtcDateTime, snapshot.TrialEndUtc);
    }
}
