using System.Net;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Billing;

/// <summary>Checkout and portal through Stripe's API (a real stand-in server), and who may use them.</summary>
public abstract class StripeCheckoutTests(StripeBillingFixture fixture) : BillingTest(fixture)
{
    private FakeStripeServer Stripe => fixture.Stripe;

    [Fact]
    public async Task Checkout_creates_one_customer_and_a_subscription_session_for_the_plan_price()
    {
        var owner = await SignUpAsync(organizationName: "Acme Hiring");
        var response = await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var url = (await Json(response)).GetProperty("checkoutUrl").GetString()!;

        var customer = Assert.Single(Stripe.To("POST", "/v1/customers"), r => r.Form.GetValueOrDefault("metadata[organization_id]") == owner.OrganizationId);
        Assert.Equal("Acme Hiring", customer.Form["name"]);
        Assert.Equal("customer-" + owner.OrganizationId, customer.IdempotencyKey);
        Assert.Equal("Bearer sk_test_fake_key", customer.Authorization);
        var session = Assert.Single(Stripe.To("POST", "/v1/checkout/sessions"), r => r.Form.GetValueOrDefault("client_reference_id") == owner.OrganizationId);
        Assert.Equal(session.ResponseField("url"), url);
        Assert.Equal("subscription", session.Form["mode"]);
        Assert.Equal(StripeBillingFixture.ProPrice, session.Form["line_items[0][price]"]);
        Assert.Equal("1", session.Form["line_items[0][quantity]"]);
        Assert.Equal("pro", session.Form["metadata[plan_id]"]);
        Assert.Equal(owner.OrganizationId, session.Form["metadata[organization_id]"]);
        Assert.Equal(owner.OrganizationId, session.Form["subscription_data[metadata][organization_id]"]);
        Assert.Equal("https://app.example.test/billing/done", session.Form["success_url"]);
        Assert.False(string.IsNullOrEmpty(session.IdempotencyKey));
        var customerId = await CustomerIdAsync(owner.OrganizationId);
        Assert.Equal(customer.ResponseField("id"), customerId);
        Assert.Equal(customerId, session.Form["customer"]);

        // A second checkout reuses the stored customer.
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "team" })).StatusCode);
        Assert.Single(Stripe.To("POST", "/v1/customers"), r => r.Form.GetValueOrDefault("metadata[organization_id]") == owner.OrganizationId);
        var second = Stripe.To("POST", "/v1/checkout/sessions").Last(r => r.Form.GetValueOrDefault("client_reference_id") == owner.OrganizationId);
        Assert.Equal(customerId, second.Form["customer"]);
        Assert.Equal(StripeBillingFixture.TeamPrice, second.Form["line_items[0][price]"]);
        Assert.NotEqual(session.IdempotencyKey, second.IdempotencyKey);

        // Checkout alone changes nothing: the plan changes when Stripe says the subscription exists.
        Assert.Equal("free", PlanOf(await SubscriptionAsync(owner)));
    }

    [Fact]
    public async Task Concurrent_first_checkouts_store_one_customer()
    {
        var owner = await SignUpAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" })));
        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var customers = Stripe.To("POST", "/v1/checkout/sessions").Where(r => r.Form.GetValueOrDefault("client_reference_id") == owner.OrganizationId).Select(r => r.Form["customer"]).Distinct().ToList();
        Assert.Single(customers);
    }

    [Theory]
    [InlineData("enterprise")]
    [InlineData("trial")]
    [InlineData("free")]
    [InlineData("")]
    public async Task Unknown_unpriced_and_default_plans_are_refused_without_calling_stripe(string planId)
    {
        var owner = await SignUpAsync();
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { }), HttpStatusCode.BadRequest, "validation");
        Assert.DoesNotContain(Stripe.Requests, r => r.Form.Values.Contains(owner.OrganizationId));
    }

    [Fact]
    public async Task Portal_opens_a_session_for_the_organizations_own_customer()
    {
        var owner = await SignUpAsync();
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/portal"), HttpStatusCode.Conflict, "no-billing-account");

        await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" });
        var response = await SendAsync(owner, HttpMethod.Post, "/v1/billing/portal");
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var url = (await Json(response)).GetProperty("url").GetString()!;
        var customerId = await CustomerIdAsync(owner.OrganizationId);
        var request = Assert.Single(Stripe.To("POST", "/v1/billing_portal/sessions"), r => r.Form["customer"] == customerId);
        Assert.Equal("https://app.example.test/settings", request.Form["return_url"]);
        Assert.Equal(request.ResponseField("url"), url);

        // Another organization's owner gets their own state, never this customer.
        var other = await SignUpAsync();
        await AssertProblem(await SendAsync(other, HttpMethod.Post, "/v1/billing/portal"), HttpStatusCode.Conflict, "no-billing-account");
        await AssertProblem(await SendAsync(other, HttpMethod.Post, "/v1/billing/portal", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(other, HttpMethod.Get, "/v1/billing/subscription", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Only_owners_manage_billing_and_every_member_reads_it()
    {
        var owner = await SignUpAsync();
        foreach (var role in new[] { "admin", "member", "viewer" })
        {
            var user = await SignUpAsync();
            await AddMemberAsync(owner, user, role);
            await AssertProblem(await SendAsync(user, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" }, owner.OrganizationId), HttpStatusCode.Forbidden);
            await AssertProblem(await SendAsync(user, HttpMethod.Post, "/v1/billing/portal", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);
            Assert.Equal("free", PlanOf(await SubscriptionAsync(user, owner.OrganizationId)));
            Assert.Equal(HttpStatusCode.OK, (await SendAsync(user, HttpMethod.Get, "/v1/billing/plans", organizationId: owner.OrganizationId)).StatusCode);
            if (role == "admin")
            {
                // An admin may hold a billing-scoped key, but it carries the admin's role, not an owner's.
                var created = await SendAsync(user, HttpMethod.Post, "/v1/api-keys", new { name = "billing", scopes = new[] { "billing" } }, owner.OrganizationId);
                var key = (await Json(created)).GetProperty("key").GetString()!;
                await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" }), HttpStatusCode.Forbidden);
            }
        }

        Assert.DoesNotContain(Stripe.Requests, r => r.Form.Values.Contains(owner.OrganizationId));
        var documentsKey = await CreateApiKeyAsync(owner, "documents:read");
        await AssertProblem(await SendWithKeyAsync(documentsKey, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" }), HttpStatusCode.Forbidden);
        var billingKey = await CreateApiKeyAsync(owner, "billing");
        Assert.Equal(HttpStatusCode.Created, (await SendWithKeyAsync(billingKey, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" })).StatusCode);
        await AssertProblem(await Client.PostAsync("/v1/billing/checkout", System.Net.Http.Json.JsonContent.Create(new { planId = "pro" })), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Stripe_failures_are_a_problem_and_store_nothing()
    {
        var owner = await SignUpAsync();
        Stripe.FailWith = 400;
        try
        {
            await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" }), HttpStatusCode.BadGateway, "billing-provider-error");
        }
        finally
        {
            Stripe.FailWith = null;
        }

        Assert.Null(await CustomerIdAsync(owner.OrganizationId));
    }

    [Fact]
    public async Task Local_billing_routes_are_refused_while_stripe_is_configured()
    {
        var owner = await SignUpAsync();
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/local/checkout/abc.def"), HttpStatusCode.NotFound, "local-billing-disabled");
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/billing/local/portal/abc.def"), HttpStatusCode.NotFound, "local-billing-disabled");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/local/portal/abc.def/cancel"), HttpStatusCode.NotFound, "local-billing-disabled");
    }

    [Fact]
    public async Task Plans_say_which_ones_stripe_sells()
    {
        var owner = await SignUpAsync();
        var items = (await Json(await SendAsync(owner, HttpMethod.Get, "/v1/billing/plans"))).GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetString()!);
        Assert.True(items["pro"].GetProperty("purchasable").GetBoolean());
        Assert.True(items["team"].GetProperty("purchasable").GetBoolean());
        Assert.False(items["trial"].GetProperty("purchasable").GetBoolean());
        Assert.False(items["free"].GetProperty("purchasable").GetBoolean());
    }
}

public sealed class SqliteStripeCheckoutTests(SqliteStripeBillingFixture fixture) : StripeCheckoutTests(fixture), IClassFixture<SqliteStripeBillingFixture>;

public sealed class PostgresStripeCheckoutTests(PostgresStripeBillingFixture fixture) : StripeCheckoutTests(fixture), IClassFixture<PostgresStripeBillingFixture>;
