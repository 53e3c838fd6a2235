using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;
using PortalSessionCreateOptions = Stripe.BillingPortal.SessionCreateOptions;
using PortalSessionService = Stripe.BillingPortal.SessionService;
using Subscription = Cassiopeia.Core.Billing.Subscription;
using SubscriptionStatuses = Cassiopeia.Core.Billing.SubscriptionStatuses;

namespace Cassiopeia.Infrastructure.Billing.Stripe;

/// <summary>
/// Checkout Sessions (subscription mode) and billing portal sessions through Stripe's API. Each
/// organization gets one Stripe customer, created on its first checkout and stored; every call carries
/// an idempotency key, so the SDK's retries never create a second customer or session.
/// </summary>
public sealed partial class StripeBillingProvider(
    StripeClient client, AppDbContext db, Caller caller, SubscriptionPlans plans, IOptions<StripeOptions> options, IOptionsMonitor<PlanOptions> planOptions, TimeProvider time, ILogger<StripeBillingProvider> logger)
    : IBillingProvider
{
    public string Name => BillingProviders.Stripe;

    public string? WhyNotForSale(string planId, PlanDefinition plan) =>
        planId == planOptions.CurrentValue.DefaultPlanId ? "The default plan needs no checkout: cancel the subscription in the billing portal."
        : string.IsNullOrWhiteSpace(plan.StripePriceId) ? $"The plan has no Stripe price (Billing:Plans:{planId}:StripePriceId)."
        : null;

    public async Task<Result<string>> CreateCheckoutAsync(string planId, PlanDefinition plan, CancellationToken ct)
    {
        var organizationId = caller.RequireOrganizationId;
        try
        {
            var (customerId, firstSubscription) = await EnsureCustomerAsync(organizationId, ct);
            var metadata = new Dictionary<string, string> { [StripeSubscriptionMapper.OrganizationKey] = organizationId, [StripeSubscriptionMapper.PlanKey] = planId };
            var settings = options.Value;
            var session = await new SessionService(client).CreateAsync(
                new SessionCreateOptions
                {
                    Mode = "subscription",
                    Customer = customerId,
                    ClientReferenceId = organizationId,
                    LineItems = [new SessionLineItemOptions { Price = plan.StripePriceId, Quantity = 1 }],
                    SuccessUrl = settings.SuccessUrl!.ToString(),
                    CancelUrl = settings.CancelUrl!.ToString(),
                    Metadata = metadata,
                    SubscriptionData = new SessionSubscriptionDataOptions
                    {
                        Metadata = new Dictionary<string, string>(metadata),
                        TrialPeriodDays = firstSubscription && settings.TrialDays > 0 ? settings.TrialDays : null,
                    },
                },
                new RequestOptions { IdempotencyKey = "checkout-" + Guid.NewGuid().ToString("N") },
                ct);
            return session.Url;
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            return ProviderFailure(e);
        }
    }

    public async Task<Result<string>> CreatePortalAsync(CancellationToken ct)
    {
        var customerId = await db.Subscriptions.AsNoTracking().Select(s => s.StripeCustomerId).FirstOrDefaultAsync(ct);
        if (customerId is null)
        {
            return new Error(ErrorKind.Conflict, "no-billing-account", "The organization has no Stripe customer yet: buy a plan first (POST /v1/billing/checkout).");
        }

        try
        {
            var session = await new PortalSessionService(client).CreateAsync(
                new PortalSessionCreateOptions { Customer = customerId, ReturnUrl = options.Value.PortalReturnUrl!.ToString() },
                new RequestOptions { IdempotencyKey = "portal-" + Guid.NewGuid().ToString("N") },
                ct);
            return session.Url;
        }
        catch (Exception e) when (e is StripeException or HttpRequestException)
        {
            return ProviderFailure(e);
        }
    }

    /// <summary>
    /// The organization's Stripe customer, created once. Concurrent first checkouts send the same
    /// idempotency key, so Stripe answers both with one customer; the row's version settles the store.
    /// </summary>
    private async Task<(string CustomerId, bool FirstSubscription)> EnsureCustomerAsync(string organizationId, CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            var row = await db.Subscriptions.FirstOrDefaultAsync(ct);
            var firstSubscription = row?.StripeSubscriptionId is null && row?.TrialEndUtc is null;
            if (row?.StripeCustomerId is { } existing)
            {
                return (existing, firstSubscription);
            }

            var name = await db.Organizations.AsNoTracking().Where(o => o.Id == organizationId).Select(o => o.Name).FirstOrDefaultAsync(ct);
            var customer = await new CustomerService(client).CreateAsync(
                new CustomerCreateOptions { Name = name, Metadata = new Dictionary<string, string> { [StripeSubscriptionMapper.OrganizationKey] = organizationId } },
                new RequestOptions { IdempotencyKey = "customer-" + organizationId },
                ct);
            var now = time.GetUtcNow().UtcDateTime;
            if (row is null)
            {
                db.Subscriptions.Add(new Subscription { OrganizationId = organizationId, Provider = BillingProviders.Stripe, Status = SubscriptionStatuses.None, StripeCustomerId = customer.Id, CreatedUtc = now, UpdatedUtc = now });
            }
            else
            {
                row.StripeCustomerId = customer.Id;
                row.Version++;
                row.UpdatedUtc = now;
            }

            try
            {
                await db.SaveChangesAsync(ct);
                plans.Invalidate(organizationId);
                LogCustomerCreated(logger, customer.Id, organizationId);
                return (customer.Id, firstSubscription);
            }
            catch (DbUpdateException e) when (attempt < 4 && (e is DbUpdateConcurrencyException || db.IsUniqueViolation(e)))
            {
                // A concurrent checkout stored the customer first: read it back.
            }
        }
    }

    private Error ProviderFailure(Exception e)
    {
        LogStripeFailure(logger, e);
        return e is StripeException { HttpStatusCode: >= System.Net.HttpStatusCode.InternalServerError } or HttpRequestException
            ? new Error(ErrorKind.ProviderUnavailable, "billing-provider-unavailable", "The payment provider cannot be reached; try again shortly.")
            : new Error(ErrorKind.ProviderError, "billing-provider-error", "The payment provider refused the request.");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe customer {CustomerId} created for organization {OrganizationId}")]
    private static partial void LogCustomerCreated(ILogger logger, string customerId, string organizationId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A Stripe call failed")]
    private static partial void LogStripeFailure(ILogger logger, Exception exception);
}
