using System.Globalization;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Usage;

/// <summary>Quantity taken from an organization's quota before an action; given back if the action then fails.</summary>
public sealed record QuotaReservation(string OrganizationId, string Metric, DateTime PeriodStartUtc, long Quantity);

/// <summary>
/// The quota counters (<c>quota_counters</c>), one row per organization, metric and billing period.
/// <see cref="ReserveAsync"/> takes quantity with one conditional upsert (<c>used + q &lt;= limit</c>),
/// which the database applies atomically on SQLite and PostgreSQL alike, so concurrent requests can
/// never together exceed a limit. The limit comes from <see cref="IOrganizationPlans"/> at each call.
/// Statements join the caller's transaction when there is one.
/// </summary>
public sealed class Quotas(AppDbContext db, IOrganizationPlans plans)
{
    /// <summary>Takes <paramref name="quantity"/> of <paramref name="metric"/>, or answers <c>quota-exceeded</c> and takes nothing.</summary>
    public async Task<Result<QuotaReservation>> ReserveAsync(string organizationId, string metric, long quantity, CancellationToken ct)
    {
        var plan = await plans.GetAsync(organizationId, ct);
        var period = plan.PeriodStartUtc;
        if (quantity <= 0)
        {
            return new QuotaReservation(organizationId, metric, period, 0);
        }

        if (plan.LimitOf(metric) is not { } limit)
        {
            await ChargeAsync(organizationId, metric, period, quantity, ct);
            return new QuotaReservation(organizationId, metric, period, quantity);
        }

        // Inserts the period's row when it is the first use, else adds to it, in both cases only
        // while the total stays within the limit; no row changed means the quota is used up.
        var changed = await db.Database.ExecuteSqlAsync($"""
            INSERT INTO quota_counters ("OrganizationId", "Metric", "PeriodStartUtc", "Used")
            SELECT {organizationId}, {metric}, {period}, {quantity} WHERE {quantity} <= {limit}
            ON CONFLICT ("OrganizationId", "Metric", "PeriodStartUtc")
            DO UPDATE SET "Used" = quota_counters."Used" + excluded."Used" WHERE quota_counters."Used" + excluded."Used" <= {limit}
            """, ct);
        return changed == 0 ? Exceeded(plan, metric, limit) : new QuotaReservation(organizationId, metric, period, quantity);
    }

    /// <summary>Gives back what an action that failed had reserved. Never cancelled: a half-done refund would leak quota.</summary>
    public async Task RefundAsync(QuotaReservation? reservation)
    {
        if (reservation is not { Quantity: > 0 })
        {
            return;
        }

        var (organizationId, metric, period, quantity) = reservation;
        await db.Database.ExecuteSqlAsync($"""
            UPDATE quota_counters SET "Used" = CASE WHEN "Used" > {quantity} THEN "Used" - {quantity} ELSE 0 END
            WHERE "OrganizationId" = {organizationId} AND "Metric" = {metric} AND "PeriodStartUtc" = {period}
            """, CancellationToken.None);
    }

    /// <summary>Adds usage known only afterwards (tokens), whatever the limit: the next action is the one refused.</summary>
    public Task ChargeAsync(string organizationId, string metric, DateTime periodStartUtc, long quantity, CancellationToken ct) =>
        quantity <= 0 ? Task.CompletedTask : db.Database.ExecuteSqlAsync($"""
            INSERT INTO quota_counters ("OrganizationId", "Metric", "PeriodStartUtc", "Used")
            VALUES ({organizationId}, {metric}, {periodStartUtc}, {quantity})
            ON CONFLICT ("OrganizationId", "Metric", "PeriodStartUtc")
            DO UPDATE SET "Used" = quota_counters."Used" + excluded."Used"
            """, ct);

    /// <summary>Refuses when nothing of <paramref name="metric"/> is left, for usage whose quantity is known only afterwards (pages, tokens).</summary>
    public async Task<Error?> EnsureAvailableAsync(string organizationId, string metric, CancellationToken ct)
    {
        var plan = await plans.GetAsync(organizationId, ct);
        if (plan.LimitOf(metric) is not { } limit)
        {
            return null;
        }

        var used = await UsedAsync(organizationId, metric, plan.PeriodStartUtc, ct);
        return used < limit ? null : Exceeded(plan, metric, limit);
    }

    public Task<long> UsedAsync(string organizationId, string metric, DateTime periodStartUtc, CancellationToken ct) =>
        db.QuotaCounters.IgnoreQueryFilters()
            .Where(c => c.OrganizationId == organizationId && c.Metric == metric && c.PeriodStartUtc == periodStartUtc)
            .Select(c => c.Used)
            .FirstOrDefaultAsync(ct);

    public static Error Exceeded(EffectivePlan plan, string metric, long limit) =>
        new(ErrorKind.QuotaExceeded, "quota-exceeded",
            $"The {plan.Plan.Name} plan allows {limit.ToString(CultureInfo.InvariantCulture)} {metric} per billing period and this would go beyond it; the quota resets at {plan.PeriodEndUtc.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)}.")
        {
            Extensions = new Dictionary<string, object?>(StringComparer.Ordinal)
            {
                ["metric"] = metric,
                ["limit"] = limit,
                ["plan"] = plan.PlanId,
                ["resetsAt"] = plan.PeriodEndUtc,
            },
        };
}
