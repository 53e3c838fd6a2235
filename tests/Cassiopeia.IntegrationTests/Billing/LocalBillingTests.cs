using System.Net;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Billing;

/// <summary>The local billing provider (no Stripe keys): the whole flow offline, and its URLs' guarantees.</summary>
public abstract class LocalBillingTests(ApiFixture fixture) : BillingTest(fixture)
{
    [Fact]
    public async Task Local_checkout_changes_the_plan_at_once_and_only_once()
    {
        var owner = await SignUpAsync();
        Assert.Equal("free", (await PlanInForceAsync(owner.OrganizationId)).PlanId);
        var url = await CheckoutUrlAsync(owner, "pro");
        Assert.StartsWith("/v1/billing/local/checkout/", url, StringComparison.Ordinal);
        Assert.Equal("free", PlanOf(await SubscriptionAsync(owner)));

        var completed = await SendAsync(owner, HttpMethod.Post, url);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
        var view = await Json(completed);
        Assert.Equal(("pro", "active", "local"), (PlanOf(view), StatusOf(view), view.GetProperty("provider").GetString()));
        Assert.InRange((view.GetProperty("currentPeriodEnd").GetDateTimeOffset() - Now.AddMonths(1)).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
        Assert.Equal("pro", (await PlanInForceAsync(owner.OrganizationId)).PlanId);
        Assert.Contains("free (active) -> pro (active)", Assert.Single(await AuditDetailsAsync(owner.OrganizationId)), StringComparison.Ordinal);

        await AssertProblem(await SendAsync(owner, HttpMethod.Post, url), HttpStatusCode.Conflict, "checkout-completed");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro" }), HttpStatusCode.Conflict, "plan-in-force");

        // Changing plan locally is another checkout, and applies at once too.
        Assert.Equal("team", PlanOf(await Json(await SendAsync(owner, HttpMethod.Post, await CheckoutUrlAsync(owner, "team")))));
        Assert.Equal("team", (await PlanInForceAsync(owner.OrganizationId)).PlanId);
    }

    [Fact]
    public async Task Concurrent_completions_of_one_checkout_apply_it_once()
    {
        var owner = await SignUpAsync();
        var url = await CheckoutUrlAsync(owner, "team");
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => SendAsync(owner, HttpMethod.Post, url)));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.OK), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        Assert.Single(await AuditDetailsAsync(owner.OrganizationId));
    }

    [Fact]
    public async Task Local_checkout_urls_are_bound_to_their_organization_signed_and_expiring()
    {
        var owner = await SignUpAsync();
        var url = await CheckoutUrlAsync(owner, "pro");
        var other = await SignUpAsync();
        await AssertProblem(await SendAsync(other, HttpMethod.Post, url), HttpStatusCode.NotFound);
        await AssertProblem(await SendAsync(other, HttpMethod.Post, url, organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);

        var member = await SignUpAsync();
        await AddMemberAsync(owner, member, "admin");
        await AssertProblem(await SendAsync(member, HttpMethod.Post, url, organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);

        var token = url["/v1/billing/local/checkout/".Length..];
        var tampered = "/v1/billing/local/checkout/" + (token[0] == 'A' ? 'B' : 'A') + token[1..];
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, tampered), HttpStatusCode.Forbidden, "invalid-signature");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/local/checkout/" + new string('x', 5000)), HttpStatusCode.Forbidden, "invalid-signature");
        var portal = (await Json(await SendAsync(owner, HttpMethod.Post, "/v1/billing/portal"))).GetProperty("url").GetString()!;
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/local/checkout/" + portal["/v1/billing/local/portal/".Length..]), HttpStatusCode.Forbidden, "invalid-signature");
        Assert.Equal("free", PlanOf(await SubscriptionAsync(owner)));
        Assert.Equal("free", PlanOf(await SubscriptionAsync(other)));

        Factory.Time.Advance(TimeSpan.FromMinutes(31));
        owner = await LogInAgainAsync(owner);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, url), HttpStatusCode.Forbidden, "invalid-signature");
        Assert.Equal("free", PlanOf(await SubscriptionAsync(owner)));
    }

    [Fact]
    public async Task The_trial_runs_for_its_length_once_then_the_default_plan()
    {
        var owner = await SignUpAsync();
        var view = await Json(await SendAsync(owner, HttpMethod.Post, await CheckoutUrlAsync(owner, "trial")));
        Assert.Equal(("trial", "trialing"), (PlanOf(view), StatusOf(view)));
        var trialEnds = view.GetProperty("trialEndsAt").GetDateTimeOffset();
        Assert.InRange((trialEnds - Now.AddDays(14)).Duration(), TimeSpan.Zero, TimeSpan.FromMinutes(1));
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "trial" }), HttpStatusCode.Conflict, "plan-in-force");

        Factory.Time.Advance(TimeSpan.FromDays(14) + TimeSpan.FromMinutes(2));
        owner = await LogInAgainAsync(owner);
        view = await SubscriptionAsync(owner);
        Assert.Equal("free", PlanOf(view));
        Assert.Equal("free", (await PlanInForceAsync(owner.OrganizationId)).PlanId);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "trial" }), HttpStatusCode.Conflict, "trial-used");
    }

    [Fact]
    public async Task The_local_portal_cancels_at_the_end_of_the_period()
    {
        var owner = await SignUpAsync();
        var portal = (await Json(await SendAsync(owner, HttpMethod.Post, "/v1/billing/portal"))).GetProperty("url").GetString()!;
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, portal + "/cancel"), HttpStatusCode.Conflict, "nothing-to-cancel");

        await SendAsync(owner, HttpMethod.Post, await CheckoutUrlAsync(owner, "pro"));
        var shown = await Json(await SendAsync(owner, HttpMethod.Get, portal));
        Assert.Equal("pro", PlanOf(shown));
        var other = await SignUpAsync();
        await AssertProblem(await SendAsync(other, HttpMethod.Post, portal + "/cancel"), HttpStatusCode.NotFound);
        Assert.False((await SubscriptionAsync(owner)).GetProperty("cancelAtPeriodEnd").GetBoolean());

        var canceled = await Json(await SendAsync(owner, HttpMethod.Post, portal + "/cancel"));
        Assert.Equal("pro", PlanOf(canceled));
        Assert.True(canceled.GetProperty("cancelAtPeriodEnd").GetBoolean());
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, portal + "/cancel"), HttpStatusCode.Conflict, "nothing-to-cancel");
        var periodEnd = canceled.GetProperty("currentPeriodEnd").GetDateTimeOffset();

        Factory.Time.Advance(periodEnd - Now + TimeSpan.FromMinutes(1));
        owner = await LogInAgainAsync(owner);
        var after = await SubscriptionAsync(owner);
        Assert.Equal(("free", "canceled"), (PlanOf(after), StatusOf(after)));
        Assert.Equal("free", (await PlanInForceAsync(owner.OrganizationId)).PlanId);
    }

    [Fact]
    public async Task Plans_are_listed_with_their_limits_and_bad_requests_change_nothing()
    {
        var owner = await SignUpAsync();
        var plans = (await Json(await SendAsync(owner, HttpMethod.Get, "/v1/billing/plans"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(["free", "trial", "pro", "team"], plans.Select(p => p.GetProperty("id").GetString()));
        var pro = plans.Single(p => p.GetProperty("id").GetString() == "pro");
        Assert.Equal(19m, pro.GetProperty("priceMonthlyUsd").GetDecimal());
        Assert.Equal(3_000, pro.GetProperty("limits").GetProperty("asks").GetInt64());
        Assert.False(plans[0].GetProperty("purchasable").GetBoolean());
        Assert.True(plans[1].GetProperty("purchasable").GetBoolean());

        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "gold" }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "free" }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = new string('p', 65) }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = "pro\u0000" }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId = 7 }), HttpStatusCode.BadRequest);
        Assert.Equal("free", PlanOf(await SubscriptionAsync(owner)));
    }

    [Fact]
    public async Task The_stripe_webhook_answers_404_without_stripe()
    {
        var response = await Client.PostAsync("/v1/billing/webhooks/stripe", new StringContent("{}", System.Text.Encoding.UTF8, "application/json"));
        await AssertProblem(response, HttpStatusCode.NotFound);
    }

    private async Task<string> CheckoutUrlAsync(Session owner, string planId)
    {
        var response = await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("checkoutUrl").GetString()!;
    }
}

public sealed class SqliteLocalBillingTests(SqliteLocalBillingFixture fixture) : LocalBillingTests(fixture), IClassFixture<SqliteLocalBillingFixture>;

public sealed class PostgresLocalBillingTests(PostgresLocalBillingFixture fixture) : LocalBillingTests(fixture), IClassFixture<PostgresLocalBillingFixture>;

public sealed class SqliteLocalBillingFixture() : ApiFixture("Sqlite");

public sealed class PostgresLocalBillingFixture() : ApiFixture("Postgres");
