using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Billing;

/// <summary>
/// Applies one provider event to the current organization's subscription, exactly once and in order.
/// The event id is inserted in the same transaction as the change (a second delivery, even a
/// concurrent one, hits the unique key and changes nothing); the row carries a version, so two events
/// racing for one subscription cannot both apply a change computed from the same state (the loser reads
/// again and decides again). An event older than the last one applied changes nothing; on a tie (Stripe
/// times events to the second), or when the event carries no state, the provider's current state is
/// read (<c>fetchCurrent</c>) and applied instead.
/// </summary>
public sealed class ApplySubscriptionChange(AppDbContext db, TenantContext tenant, AuditLog audit, SubscriptionPlans plans, IOptionsMonitor<PlanOptions> options, TimeProvider time)
{
    private const int MaxAttempts = 8;

    /// <param name="carried">The state the event carries, or null when it carries none.</param>
    /// <param name="fetchCurrent">Reads the provider's current state; null for a provider without an API (local).</param>
    /// <param name="actorUserId">The user who caused the change (a local checkout), or null for a provider's event.</param>
    public async Task<BillingEventOutcome> HandleAsync(
        BillingEventInfo info,
        SubscriptionSnapshot? carried,
        Func<CancellationToken, Task<SubscriptionSnapshot?>>? fetchCurrent,
        string? actorUserId,
        CancellationToken ct)
    {
        var organizationId = tenant.OrganizationId ?? throw new InvalidOperationException("No organization is selected for the billing event.");
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            if (await db.BillingEvents.AsNoTracking().AnyAsync(e => e.Id == info.Id, ct))
            {
                return BillingEventOutcome.Replayed;
            }

            var row = await db.Subscriptions.FirstOrDefaultAsync(ct);
            var snapshot = await ChooseAsync(row, info, carried, fetchCurrent, ct);
            var outcome = snapshot is null ? BillingEventOutcome.Stale
                : row is null || !Describes(row, snapshot) ? BillingEventOutcome.Applied
                : BillingEventOutcome.Unchanged;
            if (snapshot is not null)
            {
                var before = row is null ? null : PlanInForce.Resolve(row.ToState(), options.CurrentValue, time.GetUtcNow().UtcDateTime);
                row = Apply(row, snapshot, info, organizationId);
                AuditIfChanged(before, row, info, actorUserId);
            }

            db.BillingEvents.Add(new BillingEvent
            {
                Id = info.Id,
                Provider = info.Provider,
                Type = info.Type,
                OrganizationId = organizationId,
                OccurredUtc = info.OccurredUtc,
                ProcessedUtc = time.GetUtcNow().UtcDateTime,
                Outcome = outcome.ToString().ToLowerInvariant(),
            });
            try
            {
                await db.SaveChangesAsync(ct);
                plans.Invalidate(organizationId);
                return outcome;
            }
            catch (DbUpdateException e) when (attempt < MaxAttempts && (e is DbUpdateConcurrencyException || db.IsUniqueViolation(e)))
            {
                // Another delivery of this event, or another event of this subscription, committed first: decide again.
            }
        }
    }

    /// <summary>Records an event that concerns no subscription we keep (its type, or an unknown organization), so a replay is recognised too.</summary>
    public async Task<BillingEventOutcome> RecordIgnoredAsync(BillingEventInfo info, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        if (await db.BillingEvents.AsNoTracking().AnyAsync(e => e.Id == info.Id, ct))
        {
            return BillingEventOutcome.Replayed;
        }

        db.BillingEvents.Add(new BillingEvent
        {
            Id = info.Id,
            Provider = info.Provider,
            Type = info.Type,
            OrganizationId = tenant.OrganizationId,
            OccurredUtc = info.OccurredUtc,
            ProcessedUtc = time.GetUtcNow().UtcDateTime,
            Outcome = "ignored",
        });
        try
        {
            await db.SaveChangesAsync(ct);
            return BillingEventOutcome.Ignored;
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return BillingEventOutcome.Replayed;
        }
    }

    /// <summary>The state to apply, or null when the event must change nothing.</summary>
    private static async Task<SubscriptionSnapshot?> ChooseAsync(
        Subscription? row, BillingEventInfo info, SubscriptionSnapshot? carried, Func<CancellationToken, Task<SubscriptionSnapshot?>>? fetchCurrent, CancellationToken ct)
    {
        var last = row?.LastEventUtc;
        SubscriptionSnapshot? chosen;
        if (carried is null)
        {
            chosen = fetchCurrent is null ? null : await fetchCurrent(ct);
        }
        else if (last is not null && info.OccurredUtc < last)
        {
            return null;
        }
        else if (fetchCurrent is not null && (info.OccurredUtc == last || Revives(row, carried)))
        {
            // Unsure which came first (same second), or a canceled subscription coming back to life: ask the provider.
            chosen = await fetchCurrent(ct);
        }
        else
        {
            chosen = carried;
        }

        return chosen is null || ReplacedSubscription(row, chosen) ? null : chosen;
    }

    /// <summary>Stripe never revives a canceled subscription, so an event saying otherwise is older than it looks.</summary>
    private static bool Revives(Subscription? row, SubscriptionSnapshot snapshot) =>
        row is { Status: SubscriptionStatuses.Canceled } && row.StripeSubscriptionId == snapshot.SubscriptionId && snapshot.Status != SubscriptionStatuses.Canceled;

    /// <summary>An event about another subscription than the live one stored (a late event of an earlier subscription).</summary>
    private static bool ReplacedSubscription(Subscription? row, SubscriptionSnapshot snapshot) =>
        row is { StripeSubscriptionId: { } current, PlanId: not null } && snapshot.SubscriptionId is not null
        && current != snapshot.SubscriptionId && SubscriptionStatuses.IsLive(row.Status);

    private static bool Describes(Subscription row, SubscriptionSnapshot s) =>
        row.PlanId == s.PlanId && row.Status == s.Status && row.StripeSubscriptionId == (s.SubscriptionId ?? row.StripeSubscriptionId)
        && row.CurrentPeriodStartUtc == s.PeriodStartUtc && row.CurrentPeriodEndUtc == s.PeriodEndUtc
        && row.TrialEndUtc == s.TrialEndUtc && row.CancelAtPeriodEnd == s.CancelAtPeriodEnd;

    private Subscription Apply(Subscription? row, SubscriptionSnapshot s, BillingEventInfo info, string organizationId)
    {
        var now = time.GetUtcNow().UtcDateTime;
        if (row is null)
        {
            row = new Subscription { OrganizationId = organizationId, Provider = info.Provider, Status = s.Status, CreatedUtc = now };
            db.Subscriptions.Add(row);
        }

        row.Provider = info.Provider;
        row.PlanId = s.PlanId;
        row.Status = s.Status;
        row.StripeCustomerId = s.CustomerId ?? row.StripeCustomerId;
        row.StripeSubscriptionId = s.SubscriptionId;
        row.CurrentPeriodStartUtc = s.PeriodStartUtc;
        row.CurrentPeriodEndUtc = s.PeriodEndUtc;
        row.TrialEndUtc = s.TrialEndUtc ?? row.TrialEndUtc;
        row.CancelAtPeriodEnd = s.CancelAtPeriodEnd;
        row.LastEventUtc = row.LastEventUtc is { } last && last > info.OccurredUtc ? last : info.OccurredUtc;
        row.LastEventId = info.Id;
        row.Version++;
        row.UpdatedUtc = now;
        return row;
    }

    private void AuditIfChanged(EffectivePlan? before, Subscription row, BillingEventInfo info, string? actorUserId)
    {
        var after = PlanInForce.Resolve(row.ToState(), options.CurrentValue, time.GetUtcNow().UtcDateTime);
        if (before is not null && before.PlanId == after.PlanId && before.Status == after.Status && before.CancelAtPeriodEnd == after.CancelAtPeriodEnd)
        {
            return;
        }

        var detail = $"{before?.PlanId ?? options.CurrentValue.DefaultPlanId} ({before?.Status ?? SubscriptionStatuses.Active}) -> {after.PlanId} ({after.Status}"
            + (after.CancelAtPeriodEnd ? $", ends {after.PeriodEndUtc:O}" : "") + $"); {info.Provider} {info.Type}";
        audit.Record(AuditActions.SubscriptionChanged, row.OrganizationId, actorUserId, "subscription", row.StripeSubscriptionId ?? info.Id, detail);
    }
}
