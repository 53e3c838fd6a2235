using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Billing.Local;

/// <summary>
/// Billing without a payment provider (embedded profile, no Stripe keys): checkout answers a signed,
/// expiring, single-use URL bound to the organization and the plan, which an owner completes with a
/// POST (<see cref="LocalBilling"/>); the portal answers a signed URL whose page can cancel.
/// </summary>
public sealed class LocalBillingProvider(UrlSigner signer, Caller caller, AppDbContext db, IOptionsMonitor<PlanOptions> plans) : IBillingProvider
{
    public const string CheckoutPurpose = "billing-checkout";
    public const string PortalPurpose = "billing-portal";
    public const string CheckoutPath = "/v1/billing/local/checkout/";
    public const string PortalPath = "/v1/billing/local/portal/";
    public static readonly TimeSpan CheckoutLifetime = TimeSpan.FromMinutes(30);
    public static readonly TimeSpan PortalLifetime = TimeSpan.FromMinutes(60);

    public string Name => BillingProviders.Local;

    public string? WhyNotForSale(string planId, PlanDefinition plan) =>
        planId == plans.CurrentValue.DefaultPlanId ? "The default plan needs no checkout: cancel the subscription in the billing portal." : null;

    public async Task<Result<string>> CreateCheckoutAsync(string planId, PlanDefinition plan, CancellationToken ct)
    {
        if (planId == plans.CurrentValue.TrialPlanId && await HadTrialAsync(db, ct))
        {
            return LocalBilling.TrialUsed;
        }

        var nonce = Ids.New("lco");
        return CheckoutPath + signer.Sign(CheckoutPurpose, [caller.RequireOrganizationId, planId, nonce], CheckoutLifetime);
    }

    public Task<Result<string>> CreatePortalAsync(CancellationToken ct) =>
        Task.FromResult<Result<string>>(PortalPath + signer.Sign(PortalPurpose, [caller.RequireOrganizationId, Ids.New("lpo")], PortalLifetime));

    internal static Task<bool> HadTrialAsync(AppDbContext db, CancellationToken ct) =>
        db.Subscriptions.AnyAsync(s => s.TrialEndUtc != null, ct);
}
