using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Usage;

public sealed record UsageQuery(string? From, string? To, string? Granularity, string? By);

/// <param name="UserId">Set in a per-member breakdown.</param>
public sealed record UsageItem(DateOnly Date, string Metric, long Quantity, decimal CostUsd, string? UserId = null);

public sealed record UsageTotal(string Metric, long Quantity, decimal CostUsd);

public sealed record UsageTotals(decimal CostUsd, IReadOnlyList<UsageTotal> Metrics);

/// <param name="Limit">Null when the plan sets none.</param>
public sealed record UsageLimit(string Metric, long? Limit, long Used, long? Remaining);

public sealed record UsageLimits(string PlanId, DateTime PeriodStart, DateTime PeriodEnd, IReadOnlyList<UsageLimit> Metrics);

public sealed record MemberUsage(string UserId, string? Email, decimal CostUsd, IReadOnlyList<UsageTotal> Metrics);

public sealed record UsageReport(
    DateOnly From, DateOnly To, string Granularity, IReadOnlyList<UsageItem> Items, UsageTotals Totals, UsageLimits Limits, IReadOnlyList<MemberUsage>? Members);

/// <summary>
/// The organization's usage by day from the daily roll-ups (never the raw events), the totals over the
/// range, and the plan's limits with what is used and left in the current period. Admins may ask for
/// <c>by=member</c>: the same per member.
/// </summary>
public sealed class GetUsage(AppDbContext db, Caller caller, IOrganizationPlans plans, TimeProvider time)
{
    public const string Day = "day";
    public const string ByMember = "member";

    private const decimal Nano = 1_000_000_000m;

    public async Task<Result<UsageReport>> HandleAsync(UsageQuery query, CancellationToken ct)
    {
        var today = UsageRange.DayOf(time.GetUtcNow().UtcDateTime);
        var range = UsageRange.Parse(query.From, query.To, today);
        var shape = new Validation()
            .Require(query.Granularity is null or Day, "granularity", "Only 'day' is supported.")
            .Require(query.By is null or ByMember, "by", "Only 'member' is supported.");
        if (!range.Succeeded || !shape.IsValid)
        {
            return range.Succeeded ? shape.ToError() : range.Error!;
        }

        var perMember = query.By == ByMember;
        if (perMember && caller.Role < Role.Admin)
        {
            return Error.Forbidden("Only admins and owners see usage per member.");
        }

        var plan = await plans.GetAsync(caller.RequireOrganizationId, ct);
        if (perMember && !plan.Has(PlanFeatures.MemberUsage))
        {
            return new Error(ErrorKind.FeatureNotInPlan, "plan-upgrade-required", $"Usage per member is not part of the {plan.Plan.Name} plan; a plan that includes '{PlanFeatures.MemberUsage}' (see GET /v1/billing/plans) does.");
        }

        var (from, to) = (range.Value!.From, range.Value.To);
        var rows = await db.UsageDaily.AsNoTracking()
            .Where(d => d.Date >= from && d.Date <= to)
            .GroupBy(d => new { d.Date, d.Metric, UserId = perMember ? d.UserId : "" })
            .Select(g => new { g.Key.Date, g.Key.Metric, g.Key.UserId, Quantity = g.Sum(d => d.Quantity), Cost = g.Sum(d => d.CostNanoUsd) })
            .ToListAsync(ct);

        var items = rows
            .OrderBy(r => r.Date).ThenBy(r => r.Metric, StringComparer.Ordinal).ThenBy(r => r.UserId, StringComparer.Ordinal)
            .Select(r => new UsageItem(r.Date, r.Metric, r.Quantity, r.Cost / Nano, perMember ? r.UserId : null))
            .ToList();
        var totals = Sum(rows.Select(r => (r.Metric, r.Quantity, r.Cost)));
        IReadOnlyList<MemberUsage>? members = null;
        if (perMember)
        {
            var ids = rows.Select(r => r.UserId).Distinct(StringComparer.Ordinal).ToList();
            var emails = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.Email, StringComparer.Ordinal, ct);
            members = [.. rows.GroupBy(r => r.UserId, StringComparer.Ordinal)
                .Select(g => (g.Key, Totals: Sum(g.Select(r => (r.Metric, r.Quantity, r.Cost)))))
                .OrderByDescending(m => m.Totals.CostUsd).ThenBy(m => m.Key, StringComparer.Ordinal)
                .Select(m => new MemberUsage(m.Key, emails.GetValueOrDefault(m.Key), m.Totals.CostUsd, m.Totals.Metrics))];
        }

        return new UsageReport(from, to, Day, items, totals, await LimitsAsync(plan, ct), members);
    }

    private async Task<UsageLimits> LimitsAsync(EffectivePlan plan, CancellationToken ct)
    {
        var start = plan.PeriodStartUtc;
        var used = await db.QuotaCounters.AsNoTracking()
            .Where(c => c.PeriodStartUtc == start)
            .ToDictionaryAsync(c => c.Metric, c => c.Used, StringComparer.Ordinal, ct);
        var metrics = Metrics.All.Select(m =>
        {
            var limit = plan.LimitOf(m);
            var count = used.GetValueOrDefault(m);
            return new UsageLimit(m, limit, count, limit is { } l ? Math.Max(0, l - count) : null);
        }).ToList();
        return new UsageLimits(plan.PlanId, plan.PeriodStartUtc, plan.PeriodEndUtc, metrics);
    }

    private static UsageTotals Sum(IEnumerable<(string Metric, long Quantity, long Cost)> rows)
    {
        var metrics = rows.GroupBy(r => r.Metric, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal)
            .Select(g => new UsageTotal(g.Key, g.Sum(r => r.Quantity), g.Sum(r => r.Cost) / Nano))
            .ToList();
        return new UsageTotals(metrics.Sum(m => m.CostUsd), metrics);
    }
}
