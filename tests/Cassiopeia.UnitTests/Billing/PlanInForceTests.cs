using Cassiopeia.Core.Billing;

namespace Cassiopeia.UnitTests.Billing;

public sealed class PlanInForceTests
{
    private static readonly PlanOptions Plans = new();
    private static readonly DateTime Now = new(2026, 5, 20, 12, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime PeriodStart = new(2026, 5, 10, 8, 0, 0, DateTimeKind.Utc);
    private static readonly DateTime PeriodEnd = new(2026, 6, 10, 8, 0, 0, DateTimeKind.Utc);

    private static SubscriptionState State(string status, bool cancelAtPeriodEnd = false, DateTime? trialEnd = null, string plan = "pro") =>
        new(plan, status, PeriodStart, PeriodEnd, trialEnd, cancelAtPeriodEnd, BillingProviders.Stripe);

    [Fact]
    public void No_subscription_is_the_default_plan_in_the_calendar_month()
    {
        var plan = PlanInForce.Resolve(null, Plans, Now);
        Assert.Equal("free", plan.PlanId);
        Assert.Equal("active", plan.Status);
        Assert.Equal(new DateTime(2026, 5, 1, 0, 0, 0, DateTimeKind.Utc), plan.PeriodStartUtc);
        Assert.Equal(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), plan.PeriodEndUtc);
        Assert.Null(plan.SubscribedPlanId);
    }

    [Theory]
    [InlineData("active")]
    [InlineData("trialing")]
    [InlineData("past_due")]
    public void Running_subscriptions_give_the_subscribed_plan_in_its_period(string status)
    {
        var plan = PlanInForce.Resolve(State(status), Plans, Now);
        Assert.Equal("pro", plan.PlanId);
        Assert.Equal(status, plan.Status);
        Assert.Equal(PeriodStart, plan.PeriodStartUtc);
        Assert.Equal(PeriodEnd, plan.PeriodEndUtc);
        Assert.Equal(19m, plan.Plan.PriceMonthlyUsd);
        Assert.False(plan.CancelAtPeriodEnd);
    }

    [Theory]
    [InlineData("unpaid")]
    [InlineData("incomplete")]
    [InlineData("incomplete_expired")]
    [InlineData("paused")]
    [InlineData("something_new")]
    public void Unpaid_and_unfinished_subscriptions_give_the_default_plan(string status)
    {
        var plan = PlanInForce.Resolve(State(status), Plans, Now);
        Assert.Equal("free", plan.PlanId);
        Assert.Equal(status, plan.Status);
        Assert.Equal("pro", plan.SubscribedPlanId);
        Assert.Equal(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), plan.PeriodEndUtc);
    }

    [Theory]
    [InlineData("canceled", false)]
    [InlineData("active", true)]
    [InlineData("past_due", true)]
    public void Canceled_keeps_the_paid_plan_until_the_period_end_then_the_default(string status, bool cancelAtPeriodEnd)
    {
        var before = PlanInForce.Resolve(State(status, cancelAtPeriodEnd), Plans, PeriodEnd.AddSeconds(-1));
        Assert.Equal("pro", before.PlanId);
        Assert.True(before.CancelAtPeriodEnd);
        Assert.Equal(PeriodEnd, before.PeriodEndUtc);

        var after = PlanInForce.Resolve(State(status, cancelAtPeriodEnd), Plans, PeriodEnd);
        Assert.Equal("free", after.PlanId);
        Assert.Equal("canceled", after.Status);
        Assert.Equal(new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc), after.PeriodStartUtc);
    }

    [Fact]
    public void Canceled_without_a_period_is_the_default_plan_at_once()
    {
        var plan = PlanInForce.Resolve(new SubscriptionState("pro", "canceled", null, null, null, false, BillingProviders.Stripe), Plans, Now);
        Assert.Equal("free", plan.PlanId);
        Assert.Equal("canceled", plan.Status);
    }

    [Fact]
    public void Trialing_reports_the_trial_end_and_active_does_not()
    {
        var trialEnd = PeriodEnd;
        Assert.Equal(trialEnd, PlanInForce.Resolve(State("trialing", trialEnd: trialEnd), Plans, Now).TrialEndsAtUtc);
        Assert.Null(PlanInForce.Resolve(State("active", trialEnd: trialEnd), Plans, Now).TrialEndsAtUtc);
    }

    [Fact]
    public void A_running_subscription_whose_renewal_is_not_yet_known_rolls_its_period_forward()
    {
        var plan = PlanInForce.Resolve(State("active"), Plans, PeriodEnd.AddDays(40));
        Assert.Equal("pro", plan.PlanId);
        Assert.Equal(PeriodEnd.AddMonths(1), plan.PeriodStartUtc);
        Assert.Equal(PeriodEnd.AddMonths(2), plan.PeriodEndUtc);
    }

    [Fact]
    public void A_plan_no_longer_configured_falls_back_to_the_default()
    {
        var plan = PlanInForce.Resolve(State("active", plan: "enterprise-2019"), Plans, Now);
        Assert.Equal("free", plan.PlanId);
    }

    [Fact]
    public void A_customer_without_a_subscription_is_on_the_default_plan_and_active()
    {
        var plan = PlanInForce.Resolve(new SubscriptionState(null, "none", null, null, null, false, BillingProviders.Stripe), Plans, Now);
        Assert.Equal("free", plan.PlanId);
        Assert.Equal("active", plan.Status);
    }

    [Theory]
    [InlineData("active", true)]
    [InlineData("past_due", true)]
    [InlineData("unpaid", true)]
    [InlineData("canceled", false)]
    [InlineData("incomplete_expired", false)]
    public void Live_statuses_are_those_still_billing(string status, bool live) =>
        Assert.Equal(live, SubscriptionStatuses.IsLive(status));
}
