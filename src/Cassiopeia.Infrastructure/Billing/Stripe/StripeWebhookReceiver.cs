using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;
using Stripe.Checkout;

namespace Cassiopeia.Infrastructure.Billing.Stripe;

/// <summary>
/// Verifies a Stripe webhook (<c>Stripe-Signature</c>: HMAC-SHA256 of <c>t.payload</c> under the
/// endpoint's secret, timestamp within the tolerance of the application clock) and applies it through
/// <see cref="ApplySubscriptionChange"/>. Subscription events carry their object; checkout and invoice
/// events carry none, so the subscription is read from Stripe's API. Events of organizations or types
/// we do not track are recorded and answered 200, so Stripe stops sending them.
/// </summary>
public sealed partial class StripeWebhookReceiver(
    StripeClient client, AppDbContext db, TenantContext tenant, ApplySubscriptionChange apply, IOptions<StripeOptions> options, IOptionsMonitor<PlanOptions> plans, TimeProvider time, ILogger<StripeWebhookReceiver> logger)
{
    public async Task<Result<BillingEventOutcome>> ReceiveAsync(string payload, string? signature, CancellationToken ct)
    {
        Event stripeEvent;
        try
        {
            var settings = options.Value;
            stripeEvent = EventUtility.ConstructEvent(
                payload, signature ?? "", settings.WebhookSecret, (long)settings.WebhookTolerance.TotalSeconds, time.GetUtcNow().ToUnixTimeSeconds(), throwOnApiVersionMismatch: false);
        }
        catch (StripeException)
        {
            return new Error(ErrorKind.Validation, "invalid-signature", "The Stripe-Signature header is missing, forged or too old.");
        }
        catch (Exception e) when (e is System.Text.Json.JsonException or Newtonsoft.Json.JsonException)
        {
            return new Error(ErrorKind.Validation, "invalid-event", "The signed body is not a Stripe event.");
        }

        if (string.IsNullOrEmpty(stripeEvent.Id) || stripeEvent.Id.Length > 255 || string.IsNullOrEmpty(stripeEvent.Type))
        {
            return new Error(ErrorKind.Validation, "invalid-event", "The event has no id or type.");
        }

        var info = new BillingEventInfo(stripeEvent.Id, BillingProviders.Stripe, stripeEvent.Type, DateTime.SpecifyKind(stripeEvent.Created, DateTimeKind.Utc));
        var (customerId, subscriptionId, carried, organizationHint) = Read(stripeEvent);
        var organizationId = await FindOrganizationAsync(customerId, organizationHint, ct);
        if (subscriptionId is null || organizationId is null)
        {
            LogIgnored(logger, info.Id, info.Type, organizationId);
            return await apply.RecordIgnoredAsync(info, ct);
        }

        tenant.Enter(organizationId);
        var outcome = await apply.HandleAsync(info, carried, c => FetchAsync(subscriptionId, c), actorUserId: null, ct);
        LogProcessed(logger, info.Id, info.Type, organizationId, outcome);
        return outcome;
    }

    private (string? CustomerId, string? SubscriptionId, SubscriptionSnapshot? Carried, string? OrganizationHint) Read(Event stripeEvent)
    {
        switch (stripeEvent.Data?.Object)
        {
            case Session { Mode: "subscription" } session when stripeEvent.Type == EventTypes.CheckoutSessionCompleted:
                return (session.CustomerId, session.SubscriptionId, null, session.ClientReferenceId ?? Metadata(session.Metadata));
            case global::Stripe.Subscription subscription when stripeEvent.Type is EventTypes.CustomerSubscriptionCreated or EventTypes.CustomerSubscriptionUpdated or EventTypes.CustomerSubscriptionDeleted:
                return (subscription.CustomerId, subscription.Id, StripeSubscriptionMapper.ToSnapshot(subscription, plans.CurrentValue), Metadata(subscription.Metadata));
            case Invoice invoice when stripeEvent.Type is EventTypes.InvoicePaid or EventTypes.InvoicePaymentFailed:
                var details = invoice.Parent?.SubscriptionDetails;
                return (invoice.CustomerId, details?.SubscriptionId, null, Metadata(details?.Metadata));
            default:
                return (null, null, null, null);
        }
    }

    /// <summary>
    /// The organization of the event: the one whose stored Stripe customer it names; for a first
    /// checkout, the organization our checkout session named — accepted only when its stored customer
    /// is the event's (ids in metadata are never trusted on their own).
    /// </summary>
    private async Task<string?> FindOrganizationAsync(string? customerId, string? hint, CancellationToken ct)
    {
        if (customerId is null)
        {
            return null;
        }

        var owners = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.StripeCustomerId == customerId)
            .Select(s => s.OrganizationId)
            .ToListAsync(ct);
        return owners.Count == 1 && (hint is null || hint == owners[0]) ? owners[0] : null;
    }

    private async Task<SubscriptionSnapshot?> FetchAsync(string subscriptionId, CancellationToken ct)
    {
        // Other failures propagate: the webhook answers 500 and Stripe delivers it again later.
        try
        {
            var subscription = await new SubscriptionService(client).GetAsync(subscriptionId, cancellationToken: ct);
            return StripeSubscriptionMapper.ToSnapshot(subscription, plans.CurrentValue);
        }
        catch (StripeException e) when (e.HttpStatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private static string? Metadata(Dictionary<string, string>? metadata) =>
        metadata is not null && metadata.TryGetValue(StripeSubscriptionMapper.OrganizationKey, out var id) ? id : null;

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) for organization {OrganizationId}: {Outcome}")]
    private static partial void LogProcessed(ILogger logger, string eventId, string eventType, string organizationId, BillingEventOutcome outcome);

    [LoggerMessage(Level = LogLevel.Information, Message = "Stripe event {EventId} ({EventType}) recorded without action (organization {OrganizationId})")]
    private static partial void LogIgnored(ILogger logger, string eventId, string eventType, string? organizationId);
}
