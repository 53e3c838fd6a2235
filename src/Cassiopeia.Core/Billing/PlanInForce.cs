namespace Cassiopeia.Core.Billing;

/// <summary>
/// Maps a subscription's state to what the organization may do at a moment (docs/billing.md has the table):
/// <c>active</c>/<c>trialing</c> give the subscribed plan; <c>past_due</c> keeps it (grace);
/// <c>canceled</c> or a cancellation at period end keep it until the period ends, then the default plan;
/// <c>unpaid</c>, <c>incomplete</c>, <c>incomplete_expired</c> and <c>paused</c> give the default plan.
/// Quotas count within the subscription's current period, or the calendar month (UTC) on the default plan.
/// </summary>
public static class PlanInForce
{
    public static EffectivePlan Resolve(SubscriptionState? state, PlanOptions options, DateTime nowUtc)
    {
        if (state?.PlanId is not { } planId || !options.Plans.TryGetValue(planId, out var plan))
        {
            return Default(options, nowUtc, state is null || state.Status == SubscriptionStatuses.None ? SubscriptionStatuses.Active : state.Status, state);
        }

        var ended = state.PeriodEndUtc is { } end && nowUtc >= end;
        var keepsPlan = state.Status switch
        {
            SubscriptionStatuses.Active or SubscriptionStatuses.Trialing or SubscriptionStatuses.PastDue => !(state.CancelAtPeriodEnd && ended),
            SubscriptionStatuses.Canceled => state.PeriodEndUtc is not null && !ended,
            _ => false,
        };
        if (!keepsPlan)
        {
            var lapsed = state.CancelAtPeriodEnd && ended ? SubscriptionStatuses.Canceled : state.Status;
            return Default(options, nowUtc, lapsed, state);
        }

        var (start, periodEnd) = CurrentPeriod(state, nowUtc);
        return new EffectivePlan(planId, plan, start, periodEnd)
        {
            Status = state.Status,
            SubscribedPlanId = planId,
            TrialEndsAtUtc = state.Status == SubscriptionStatuses.Trialing ? state.TrialEndUtc : null,
            CancelAtPeriodEnd = state.CancelAtPeriodEnd || state.Status == SubscriptionStatuses.Canceled,
        };
    }

    /// <summary>The calendar month (UTC) that contains <paramref name="nowUtc"/>.</summary>
    public static (DateTime Start, DateTime End) CalendarMonth(DateTime nowUtc)
    {
        var start = new DateTime(nowUtc.Year, nowUtc.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return (start, start.AddMonths(1));
    }

    /// <summary>
    /// The subscription's period; when it has passed while the subscription still runs (a renewal not
    /// yet heard of, or a local subscription, which renews by itself) it rolls forward month by month.
    /// </summary>
    private static (DateTime Start, DateTime End) CurrentPeriod(SubscriptionState state, DateTime nowUtc)
    {
        if (state.PeriodStartUtc is not { } start || state.PeriodEndUtc is not { } end || end <= start)
        {
            return CalendarMonth(nowUtc);
        }

        for (var months = 1; nowUtc >= end && months <= 1200; months++)
        {
            (start, end) = (end, state.PeriodEndUtc.Value.AddMonths(months));
        }

        return (start, end);
    }

    private static EffectivePlan Default(PlanOptions options, DateTime nowUtc, string status, SubscriptionState? state)
    {
        var (start, end) = CalendarMonth(nowUtc);
        return new EffectivePlan(options.DefaultPlanId, options.Plans[options.DefaultPlanId], start, end)
        {
            Status = status,
            SubscribedPlanId = state?.PlanId,
        };
    }
}
