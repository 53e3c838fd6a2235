using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Billing.Local;

/// <summary>
/// The pages behind the local provider's URLs. Completing a checkout changes the plan at once: a
/// paid plan runs for a month from now (and renews by itself), the trial plan for
/// <see cref="PlanOptions.TrialLength"/> once per organization, then the default plan. The token's
/// nonce is the billing event's id, so a checkout completes once. Cancelling keeps the plan until the
/// period ends.
/// </summary>
public sealed class LocalBilling(UrlSigner signer, Caller caller, AppDbContext db, ApplySubscriptionChange apply, GetSubscription subscription, IOptionsMonitor<PlanOptions> plans, TimeProvider time)
{
    internal static readonly Error TrialUsed = new(ErrorKind.Conflict, "trial-used", "The organization has had its trial.");

    private static readonly Error InvalidToken = new(ErrorKind.Forbidden, "invalid-signature", "The link is invalid or has expired.");

    public async Task<Result<SubscriptionView>> CompleteCheckoutAsync(string token, CancellationToken ct)
    {
        if (signer.Verify(LocalBillingProvider.CheckoutPurpose, token) is not [var organizationId, var planId, var nonce])
        {
            return InvalidToken;
        }

        if (organizationId != caller.OrganizationId)
        {
            return Error.NotFound("checkout");
        }

        var options = plans.CurrentValue;
        if (!options.Plans.ContainsKey(planId) || planId == options.DefaultPlanId)
        {
            return new Error(ErrorKind.Conflict, "plan-unavailable", "The plan of this checkout is no longer offered.");
        }

        var trial = planId == options.TrialPlanId;
        if (trial && await LocalBillingProvider.HadTrialAsync(db, ct))
        {
            return TrialUsed;
        }

        var now = time.GetUtcNow().UtcDateTime;
        var end = trial ? now + options.TrialLength : now.AddMonths(1);
        var snapshot = new SubscriptionSnapshot(planId, trial ? SubscriptionStatuses.Trialing : SubscriptionStatuses.Active, null, null, now, end, trial ? end : null, CancelAtPeriodEnd: trial);
        var outcome = await apply.HandleAsync(new BillingEventInfo(nonce, BillingProviders.Local, "checkout.completed", now), snapshot, null, caller.UserId, ct);
        if (outcome == BillingEventOutcome.Replayed)
        {
            return new Error(ErrorKind.Conflict, "checkout-completed", "This checkout has already been completed.");
        }

        return await subscription.HandleAsync(ct);
    }

    public async Task<Result<SubscriptionView>> ViewPortalAsync(string token, CancellationToken ct) =>
        VerifyPortal(token) is { } error ? error : await subscription.HandleAsync(ct);

    public async Task<Result<SubscriptionView>> CancelAsync(string token, CancellationToken ct)
    {
        if (VerifyPortal(token) is { } error)
        {
            return error;
        }

        var row = await db.Subscriptions.AsNoTracking().FirstOrDefaultAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var inForce = PlanInForce.Resolve(row?.ToState(), plans.CurrentValue, now);
        if (row?.PlanId is null || row.Provider != BillingProviders.Local || inForce.SubscribedPlanId is null || inForce.PlanId == plans.CurrentValue.DefaultPlanId || inForce.CancelAtPeriodEnd)
        {
            return new Error(ErrorKind.Conflict, "nothing-to-cancel", "There is no running subscription to cancel.");
        }

        // A local subscription renews by itself: the period to end is the one running now.
        var snapshot = new SubscriptionSnapshot(row.PlanId, row.Status, null, null, inForce.PeriodStartUtc, inForce.PeriodEndUtc, row.TrialEndUtc, CancelAtPeriodEnd: true);
        await apply.HandleAsync(new BillingEventInfo(Ids.New("lcn"), BillingProviders.Local, "subscription.canceled", now), snapshot, null, caller.UserId, ct);
        return await subscription.HandleAsync(ct);
    }

    private Error? VerifyPortal(string token) =>
        signer.Verify(LocalBillingProvider.PortalPurpose, token) is not [var organizationId, _] ? InvalidToken
        : organizationId != caller.OrganizationId ? Error.NotFound("billing portal")
        : null;
}
