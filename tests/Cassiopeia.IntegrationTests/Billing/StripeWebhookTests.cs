using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Billing;

/// <summary>Stripe webhooks signed as Stripe signs them: verification, exactly-once processing, ordering and the state mapping.</summary>
public abstract class StripeWebhookTests(StripeBillingFixture fixture) : BillingTest(fixture)
{
    private FakeStripeServer Stripe => fixture.Stripe;

    [Fact]
    public async Task Subscription_created_puts_the_plan_in_force_at_once_and_is_audited()
    {
        var owner = await SignUpAsync();
        var customer = await CheckoutAsync(owner);
        Assert.Equal("free", (await PlanInForceAsync(owner.OrganizationId)).PlanId); // cached now

        var end = Now.AddDays(30);
        var subscription = FakeStripeServer.Subscription("sub_" + Guid.NewGuid().ToString("N"), customer, StripeBillingFixture.ProPrice, "active", Now.AddMinutes(-1), end);
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("customer.subscription.created", subscription, Now.AddSeconds(-5))));

        var view = await SubscriptionAsync(owner);
        Assert.Equal("pro", PlanOf(view));
        Assert.Equal("active", StatusOf(view));
        Assert.Equal(end.ToUnixTimeSeconds(), view.GetProperty("currentPeriodEnd").GetDateTimeOffset().ToUnixTimeSeconds());
        Assert.Equal(JsonValueKindNull, view.GetProperty("trialEndsAt").ValueKind);
        var inForce = await PlanInForceAsync(owner.OrganizationId);
        Assert.Equal("pro", inForce.PlanId);
        Assert.Equal(end.ToUnixTimeSeconds(), new DateTimeOffset(inForce.PeriodEndUtc).ToUnixTimeSeconds());
        var audit = Assert.Single(await AuditDetailsAsync(owner.OrganizationId));
        Assert.Contains("free (active) -> pro (active)", audit, StringComparison.Ordinal);

        // The plan in force may not be bought again, and a second subscription is never sold beside the first.
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" }), HttpStatusCode.Conflict, "plan-in-force");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "team" }), HttpStatusCode.Conflict, "subscription-exists");
    }

    [Fact]
    public async Task Checkout_completed_and_invoice_events_read_the_subscription_from_stripe()
    {
        var owner = await SignUpAsync();
        var customer = await CheckoutAsync(owner);
        var id = "sub_" + Guid.NewGuid().ToString("N");
        Stripe.Subscriptions[id] = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "trialing", Now.AddMinutes(-1), Now.AddDays(14), trialEnd: Now.AddDays(14));
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("checkout.session.completed", StripeWebhooks.CheckoutSession(customer, id, owner.OrganizationId), Now.AddSeconds(-30))));
        var view = await SubscriptionAsync(owner);
        Assert.Equal("team", PlanOf(view));
        Assert.Equal("trialing", StatusOf(view));
        Assert.InRange(Now.AddDays(14).ToUnixTimeSeconds() - view.GetProperty("trialEndsAt").GetDateTimeOffset().ToUnixTimeSeconds(), 0, 5);
        Assert.Single(Stripe.To("GET", "/v1/subscriptions/" + id));

        // Payment fails: Stripe says past_due, the plan is kept (grace) and the status reported.
        Stripe.Subscriptions[id] = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "past_due", Now.AddMinutes(-1), Now.AddDays(30));
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("invoice.payment_failed", StripeWebhooks.Invoice(customer, id, "open"), Now.AddSeconds(-20))));
        view = await SubscriptionAsync(owner);
        Assert.Equal(("team", "past_due"), (PlanOf(view), StatusOf(view)));
        Assert.Equal("past_due", (await PlanInForceAsync(owner.OrganizationId)).Status);

        // Paid: active again.
        Stripe.Subscriptions[id] = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "active", Now.AddMinutes(-1), Now.AddDays(30));
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("invoice.paid", StripeWebhooks.Invoice(customer, id, "paid"), Now.AddSeconds(-10))));
        Assert.Equal(("team", "active"), (PlanOf(await SubscriptionAsync(owner)), StatusOf(await SubscriptionAsync(owner))));
        Assert.Equal(3, Stripe.To("GET", "/v1/subscriptions/" + id).Count);
    }

    [Fact]
    public async Task Unpaid_falls_back_to_the_default_plan()
    {
        var (owner, customer, id) = await SubscribedAsync();
        var unpaid = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.ProPrice, "unpaid", Now.AddDays(-1), Now.AddDays(29));
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("customer.subscription.updated", unpaid, Now.AddMinutes(-1))));
        var view = await SubscriptionAsync(owner);
        Assert.Equal(("free", "unpaid"), (PlanOf(view), StatusOf(view)));
        Assert.Equal("pro", view.GetProperty("subscribedPlan").GetString());
        Assert.Equal("free", (await PlanInForceAsync(owner.OrganizationId)).PlanId);
    }

    [Fact]
    public async Task Forged_missing_and_stale_signatures_are_400_and_change_nothing()
    {
        var owner = await SignUpAsync();
        var customer = await CheckoutAsync(owner);
        var subscription = FakeStripeServer.Subscription("sub_forged", customer, StripeBillingFixture.TeamPrice, "active", Now.AddMinutes(-1), Now.AddDays(30));
        var payload = StripeWebhooks.Event("customer.subscription.created", subscription, Now.AddSeconds(-5), "evt_forged_" + Guid.NewGuid().ToString("N"));
        var eventId = JsonNode.Parse(payload)!["id"]!.GetValue<string>();

        await AssertProblem(await PostWebhookAsync(payload, StripeWebhooks.Sign(payload, Now, "whsec_someone_else")), HttpStatusCode.BadRequest, "invalid-signature");
        await AssertProblem(await PostWebhookAsync(payload, null), HttpStatusCode.BadRequest, "invalid-signature");
        await AssertProblem(await PostWebhookAsync(payload, "t=abc,v1=zz"), HttpStatusCode.BadRequest, "invalid-signature");
        await AssertProblem(await PostWebhookAsync(payload, StripeWebhooks.Sign(payload, Now.AddSeconds(-301))), HttpStatusCode.BadRequest, "invalid-signature");
        await AssertProblem(await PostWebhookAsync(payload, StripeWebhooks.Sign(payload, Now.AddSeconds(301))), HttpStatusCode.BadRequest, "invalid-signature");
        var tampered = payload.Replace(StripeBillingFixture.TeamPrice, StripeBillingFixture.ProPrice, StringComparison.Ordinal);
        await AssertProblem(await PostWebhookAsync(tampered, StripeWebhooks.Sign(payload, Now)), HttpStatusCode.BadRequest, "invalid-signature");

        Assert.Equal("free", PlanOf(await SubscriptionAsync(owner)));
        Assert.Equal(0, await BillingEventCountAsync(eventId));

        // The same event correctly signed (within the tolerance) is accepted.
        Assert.Equal(HttpStatusCode.OK, (await PostWebhookAsync(payload, StripeWebhooks.Sign(payload, Now.AddSeconds(-240)))).StatusCode);
        Assert.Equal("team", PlanOf(await SubscriptionAsync(owner)));
    }

    [Fact]
    public async Task Malformed_and_oversized_bodies_are_refused()
    {
        var notJson = "{\"id\": \"evt_x\", \"type\": ";
        await AssertProblem(await PostWebhookAsync(notJson, StripeWebhooks.Sign(notJson, Now)), HttpStatusCode.BadRequest);
        var noId = StripeWebhooks.Event("customer.subscription.updated", new JsonObject { ["object"] = "subscription" }, Now, id: "");
        await AssertProblem(await PostWebhookAsync(noId, StripeWebhooks.Sign(noId, Now)), HttpStatusCode.BadRequest, "invalid-event");

        using var invalidUtf8 = new ByteArrayContent([0x7B, 0xC3, 0x28, 0xFF, 0x7D]);
        invalidUtf8.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/webhooks/stripe") { Content = invalidUtf8 };
        request.Headers.Add("Stripe-Signature", "t=1,v1=00");
        await AssertProblem(await Client.SendAsync(request), HttpStatusCode.BadRequest);

        var huge = StripeWebhooks.Event("customer.subscription.updated", new JsonObject { ["object"] = "subscription", ["padding"] = new string('x', StripeBillingFixture.MaxWebhookBytes) }, Now);
        await AssertProblem(await PostWebhookAsync(huge, StripeWebhooks.Sign(huge, Now)), HttpStatusCode.RequestEntityTooLarge);
        await AssertProblem(await PostWebhookAsync(huge, StripeWebhooks.Sign(huge, Now), chunked: true), HttpStatusCode.RequestEntityTooLarge);
    }

    [Fact]
    public async Task A_replayed_event_changes_nothing()
    {
        var (owner, customer, id) = await SubscribedAsync();
        var toTeam = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "active", Now.AddDays(-1), Now.AddDays(29)), Now.AddMinutes(-2));
        Assert.Equal("applied", await DeliverAsync(toTeam));
        var backToPro = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.ProPrice, "active", Now.AddDays(-1), Now.AddDays(29)), Now.AddMinutes(-1));
        Assert.Equal("applied", await DeliverAsync(backToPro));
        var audits = (await AuditDetailsAsync(owner.OrganizationId)).Count;

        Assert.Equal("replayed", await DeliverAsync(toTeam));
        Assert.Equal("pro", PlanOf(await SubscriptionAsync(owner)));
        Assert.Equal(audits, (await AuditDetailsAsync(owner.OrganizationId)).Count);
        Assert.Equal(1, await BillingEventCountAsync(JsonNode.Parse(toTeam)!["id"]!.GetValue<string>()));
    }

    [Fact]
    public async Task Concurrent_deliveries_of_one_event_apply_it_once()
    {
        var (owner, customer, id) = await SubscribedAsync();
        var audits = (await AuditDetailsAsync(owner.OrganizationId)).Count;
        var payload = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "active", Now.AddDays(-1), Now.AddDays(29)), Now.AddMinutes(-1));
        var outcomes = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => DeliverAsync(payload)));

        Assert.Single(outcomes, o => o == "applied");
        Assert.All(outcomes.Where(o => o != "applied"), o => Assert.Equal("replayed", o));
        Assert.Equal(1, await BillingEventCountAsync(JsonNode.Parse(payload)!["id"]!.GetValue<string>()));
        Assert.Equal(audits + 1, (await AuditDetailsAsync(owner.OrganizationId)).Count);
        Assert.Equal("team", PlanOf(await SubscriptionAsync(owner)));
    }

    [Fact]
    public async Task An_older_event_arriving_late_never_overwrites_newer_state()
    {
        var (owner, customer, id) = await SubscribedAsync();
        var older = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "active", Now.AddDays(-1), Now.AddDays(29)), Now.AddMinutes(-3));
        var newer = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.ProPrice, "active", Now.AddDays(-1), Now.AddDays(29), cancelAtPeriodEnd: true), Now.AddMinutes(-1));
        Assert.Equal("applied", await DeliverAsync(newer));
        Assert.Equal("stale", await DeliverAsync(older));

        var view = await SubscriptionAsync(owner);
        Assert.Equal("pro", PlanOf(view));
        Assert.True(view.GetProperty("cancelAtPeriodEnd").GetBoolean());

        // A late "updated" of a subscription already deleted does not bring it back, even when it claims to be newer:
        // Stripe never revives a canceled subscription, so its API is asked and has the last word.
        var canceled = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.ProPrice, "canceled", Now.AddDays(-1), Now.AddMinutes(-1));
        Stripe.Subscriptions[id] = canceled;
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("customer.subscription.deleted", canceled.DeepClone().AsObject(), Now.AddSeconds(-50))));
        var lateOlder = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "active", Now.AddDays(-1), Now.AddDays(29)), Now.AddMinutes(-2));
        Assert.Equal("stale", await DeliverAsync(lateOlder));
        var reads = Stripe.To("GET", "/v1/subscriptions/" + id).Count;
        var claimsNewer = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "active", Now.AddDays(-1), Now.AddDays(29)), Now.AddSeconds(-10));
        await DeliverAsync(claimsNewer);
        Assert.Equal(reads + 1, Stripe.To("GET", "/v1/subscriptions/" + id).Count);
        Assert.Equal(("free", "canceled"), (PlanOf(await SubscriptionAsync(owner)), StatusOf(await SubscriptionAsync(owner))));
    }

    [Fact]
    public async Task Events_of_the_same_second_are_settled_by_reading_stripe()
    {
        var (owner, customer, id) = await SubscribedAsync();
        var second = Now.AddMinutes(-1);
        Stripe.Subscriptions[id] = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.TeamPrice, "active", Now.AddDays(-1), Now.AddDays(29));
        var toTeam = StripeWebhooks.Event("customer.subscription.updated", Stripe.Subscriptions[id].DeepClone().AsObject(), second);
        var toPro = StripeWebhooks.Event("customer.subscription.updated", FakeStripeServer.Subscription(id, customer, StripeBillingFixture.ProPrice, "active", Now.AddDays(-1), Now.AddDays(29)), second);
        var reads = Stripe.To("GET", "/v1/subscriptions/" + id).Count;

        Assert.Equal("applied", await DeliverAsync(toTeam));
        await DeliverAsync(toPro); // same second as the last applied: Stripe's own answer (team) decides

        Assert.Equal("team", PlanOf(await SubscriptionAsync(owner)));
        Assert.Equal(reads + 1, Stripe.To("GET", "/v1/subscriptions/" + id).Count);
    }

    [Fact]
    public async Task Cancel_at_period_end_keeps_the_paid_plan_until_the_period_ends()
    {
        var (owner, customer, id) = await SubscribedAsync();
        var periodEnd = Now.AddDays(10);
        var canceling = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.ProPrice, "active", Now.AddDays(-20), periodEnd, cancelAtPeriodEnd: true);
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("customer.subscription.updated", canceling, Now.AddMinutes(-1))));
        var view = await SubscriptionAsync(owner);
        Assert.Equal(("pro", "active"), (PlanOf(view), StatusOf(view)));
        Assert.True(view.GetProperty("cancelAtPeriodEnd").GetBoolean());
        Assert.Equal("pro", (await PlanInForceAsync(owner.OrganizationId)).PlanId);

        Factory.Time.Advance(TimeSpan.FromDays(10) + TimeSpan.FromMinutes(1));
        owner = await LogInAgainAsync(owner);
        view = await SubscriptionAsync(owner);
        Assert.Equal(("free", "canceled"), (PlanOf(view), StatusOf(view)));
        var inForce = await PlanInForceAsync(owner.OrganizationId);
        Assert.Equal("free", inForce.PlanId);
        Assert.Equal(new DateTime(Now.Year, Now.Month, 1, 0, 0, 0, DateTimeKind.Utc), inForce.PeriodStartUtc);
        Assert.False(inForce.Has("model-feedback"));
    }

    [Fact]
    public async Task Events_of_unknown_customers_or_naming_another_organization_are_ignored()
    {
        var (victim, victimCustomer, _) = await SubscribedAsync();
        var (attacker, attackerCustomer, _) = await SubscribedAsync();

        // The attacker's own customer, but metadata naming the victim: neither organization changes.
        var crafted = StripeWebhooks.CheckoutSession(attackerCustomer, "sub_crafted", victim.OrganizationId);
        Assert.Equal("ignored", await DeliverAsync(StripeWebhooks.Event("checkout.session.completed", crafted, Now.AddSeconds(-5))));
        var unknown = FakeStripeServer.Subscription("sub_unknown", "cus_nobody", StripeBillingFixture.TeamPrice, "active", Now, Now.AddDays(30), organizationId: victim.OrganizationId);
        Assert.Equal("ignored", await DeliverAsync(StripeWebhooks.Event("customer.subscription.created", unknown, Now.AddSeconds(-5))));
        Assert.Equal("ignored", await DeliverAsync(StripeWebhooks.Event("customer.created", new JsonObject { ["id"] = victimCustomer, ["object"] = "customer" }, Now)));

        Assert.Equal("pro", PlanOf(await SubscriptionAsync(victim)));
        Assert.Equal("pro", PlanOf(await SubscriptionAsync(attacker)));
        Assert.DoesNotContain(Stripe.Requests, r => r.Path.EndsWith("sub_crafted", StringComparison.Ordinal));
    }

    /// <summary>An owner whose organization has a Stripe customer (from a checkout); returns the customer id.</summary>
    private async Task<string> CheckoutAsync(Session owner)
    {
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" })).StatusCode);
        return (await CustomerIdAsync(owner.OrganizationId))!;
    }

    /// <summary>An organization on an active pro subscription, applied from an event an hour old.</summary>
    private async Task<(Session Owner, string Customer, string SubscriptionId)> SubscribedAsync()
    {
        var owner = await SignUpAsync();
        var customer = await CheckoutAsync(owner);
        var id = "sub_" + Guid.NewGuid().ToString("N");
        Stripe.Subscriptions[id] = FakeStripeServer.Subscription(id, customer, StripeBillingFixture.ProPrice, "active", Now.AddDays(-1), Now.AddDays(29), organizationId: owner.OrganizationId);
        Assert.Equal("applied", await DeliverAsync(StripeWebhooks.Event("customer.subscription.created", Stripe.Subscriptions[id].DeepClone().AsObject(), Now.AddHours(-1))));
        Assert.Equal("pro", PlanOf(await SubscriptionAsync(owner)));
        return (owner, customer, id);
    }

    /// <summary>Delivers a correctly signed event and returns the outcome the endpoint reported.</summary>
    private async Task<string> DeliverAsync(string payload)
    {
        var response = await PostWebhookAsync(payload, StripeWebhooks.Sign(payload, Now));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json(response)).GetProperty("outcome").GetString()!;
    }

    private async Task<HttpResponseMessage> PostWebhookAsync(string payload, string? signature, bool chunked = false)
    {
        var bytes = Encoding.UTF8.GetBytes(payload);
        HttpContent content = chunked ? new StreamContent(new MemoryStream(bytes)) : new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/billing/webhooks/stripe") { Content = content };
        if (chunked)
        {
            request.Headers.TransferEncodingChunked = true;
        }

        if (signature is not null)
        {
            request.Headers.Add("Stripe-Signature", signature);
        }

        return await Client.SendAsync(request);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;
}

public sealed class SqliteStripeWebhookTests(SqliteStripeBillingFixture fixture) : StripeWebhookTests(fixture), IClassFixture<SqliteStripeBillingFixture>;

public sealed class PostgresStripeWebhookTests(PostgresStripeBillingFixture fixture) : StripeWebhookTests(fixture), IClassFixture<PostgresStripeBillingFixture>;
