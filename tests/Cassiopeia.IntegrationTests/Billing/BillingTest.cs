using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Data;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Billing;

/// <summary>What billing tests share: reading the subscription through the API, the resolver and the database.</summary>
public abstract class BillingTest(ApiFixture fixture) : IntegrationTest(fixture)
{
    protected DateTimeOffset Now => Factory.Time.GetUtcNow();

    protected async Task<JsonElement> SubscriptionAsync(Session session, string? organizationId = null)
    {
        var response = await SendAsync(session, HttpMethod.Get, "/v1/billing/subscription", organizationId: organizationId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await Json(response);
    }

    /// <summary>The plan the quota checks see (the cached resolver), not the database read of GET /subscription.</summary>
    protected async Task<EffectivePlan> PlanInForceAsync(string organizationId) =>
        await Factory.Services.GetRequiredService<IOrganizationPlans>().GetAsync(organizationId, default);

    protected async Task<T> WithDatabaseAsync<T>(Func<AppDbContext, Task<T>> query)
    {
        using var scope = Factory.Services.CreateScope();
        return await query(scope.ServiceProvider.GetRequiredService<AppDbContext>());
    }

    protected Task<string?> CustomerIdAsync(string organizationId) =>
        WithDatabaseAsync(db => db.Subscriptions.IgnoreQueryFilters().Where(s => s.OrganizationId == organizationId).Select(s => s.StripeCustomerId).FirstOrDefaultAsync());

    protected Task<int> BillingEventCountAsync(string id) => WithDatabaseAsync(db => db.BillingEvents.CountAsync(e => e.Id == id));

    protected Task<List<string?>> AuditDetailsAsync(string organizationId) =>
        WithDatabaseAsync(db => db.AuditEvents.IgnoreQueryFilters()
            .Where(a => a.OrganizationId == organizationId && a.Action == Cassiopeia.Core.Audit.AuditActions.SubscriptionChanged)
            .OrderBy(a => a.Id).Select(a => a.Detail).ToListAsync());

    /// <summary>A fresh access token after the clock moved past the old one's lifetime.</summary>
    protected async Task<Session> LogInAgainAsync(Session session)
    {
        var login = await Json(await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password }));
        return session with { AccessToken = login.GetProperty("accessToken").GetString()! };
    }

    protected static string PlanOf(JsonElement subscription) => subscription.GetProperty("plan").GetString()!;

    protected static string StatusOf(JsonElement subscription) => subscription.GetProperty("status").GetString()!;
}
