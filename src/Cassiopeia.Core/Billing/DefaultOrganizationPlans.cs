using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Billing;

/// <summary>
/// Every organization on the configured default plan, counted in calendar months (UTC). The
/// subscription-aware resolver replaces this registration once subscriptions are stored.
/// </summary>
public sealed class DefaultOrganizationPlans(IOptionsMonitor<PlanOptions> options, TimeProvider time) : IOrganizationPlans
{
    public ValueTask<EffectivePlan> GetAsync(string organizationId, CancellationToken cancellationToken)
    {
        var current = options.CurrentValue;
        var plan = current.Plans[current.DefaultPlanId];
        var now = time.GetUtcNow().UtcDateTime;
        var start = new DateTime(now.Year, now.Month, 1, 0, 0, 0, DateTimeKind.Utc);
        return ValueTask.FromResult(new EffectivePlan(current.DefaultPlanId, plan, start, start.AddMonths(1)));
    }
}
