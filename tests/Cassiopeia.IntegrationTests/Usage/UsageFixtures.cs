using System.Net;
using System.Text.Json;
using Cassiopeia.Core.Data;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Interviews;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Usage;

/// <summary>Ingestion workers running, and a price table with a price on every metric and on the extractive model's tokens.</summary>
public abstract class UsageFixture(string provider) : ApiFixture(provider)
{
    public const decimal DocumentPrice = 0.01m;
    public const decimal PagePrice = 0.002m;
    public const decimal AskPrice = 0.005m;
    public const decimal QuestionPrice = 0.003m;
    public const decimal AnswerPrice = 0.004m;
    public const decimal InputPerMillion = 1.5m;
    public const decimal OutputPerMillion = 6m;

    protected override Task<IReadOnlyDictionary<string, string?>> SettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
    {
        ["Cassiopeia:Role"] = "all",
        ["Ingestion:Workers"] = "2",
        ["Ingestion:PollInterval"] = "00:00:00.200",
        ["Usage:Prices:Metrics:documents"] = "0.01",
        ["Usage:Prices:Metrics:pages_ingested"] = "0.002",
        ["Usage:Prices:Metrics:asks"] = "0.005",
        ["Usage:Prices:Metrics:interview_questions"] = "0.003",
        ["Usage:Prices:Metrics:answers_scored"] = "0.004",
        ["Usage:Prices:Models:extractive:InputPerMillionUsd"] = "1.5",
        ["Usage:Prices:Models:extractive:OutputPerMillionUsd"] = "6",
    });
}

public sealed class SqliteUsageFixture() : UsageFixture("Sqlite");

public sealed class PostgresUsageFixture() : UsageFixture("Postgres");

/// <summary>Helpers of the usage and quota tests: asking, reading the report, reading the stored events.</summary>
public abstract class UsageTest(ApiFixture fixture) : InterviewTest(fixture)
{
    protected Task<HttpResponseMessage> AskAsync(Session session, string question = "What does the candidate know?") =>
        SendAsync(session, HttpMethod.Post, "/v1/ask", new { question });

    /// <summary>Moves the session's organization onto <paramref name="planId"/> through the local billing checkout.</summary>
    protected async Task UpgradeAsync(Session owner, string planId = "team")
    {
        var checkout = await SendAsync(owner, HttpMethod.Post, "/v1/billing/checkout", new { planId });
        Assert.Equal(HttpStatusCode.Created, checkout.StatusCode);
        var completed = await SendAsync(owner, HttpMethod.Post, (await Json(checkout)).GetProperty("checkoutUrl").GetString()!);
        Assert.Equal(HttpStatusCode.OK, completed.StatusCode);
    }

    protected async Task<JsonElement> UsageAsync(Session session, string query = "")
    {
        var response = await SendAsync(session, HttpMethod.Get, "/v1/usage" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    protected static JsonElement Total(JsonElement report, string metric) =>
        report.GetProperty("totals").GetProperty("metrics").EnumerateArray().FirstOrDefault(m => m.GetProperty("metric").GetString() == metric);

    protected static JsonElement Limit(JsonElement report, string metric) =>
        report.GetProperty("limits").GetProperty("metrics").EnumerateArray().First(m => m.GetProperty("metric").GetString() == metric);

    protected async Task<List<Cassiopeia.Core.Usage.UsageEvent>> EventsAsync(string organizationId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.UsageEvents.IgnoreQueryFilters().AsNoTracking().Where(e => e.OrganizationId == organizationId).OrderBy(e => e.Id).ToListAsync();
    }

    /// <summary>Changes settings for one test and puts them back afterwards (the fixture's application is shared by its tests).</summary>
    protected async Task WithSettingsAsync(IReadOnlyDictionary<string, string?> settings, Func<Task> test)
    {
        Factory.Settings.Set(settings);
        try
        {
            await test();
        }
        finally
        {
            Factory.Settings.Clear();
        }
    }

    protected static Dictionary<string, string?> Limits(params (string Metric, long Limit)[] limits) =>
        limits.ToDictionary(l => $"Billing:Plans:free:Limits:{l.Metric}", l => (string?)l.Limit.ToString(System.Globalization.CultureInfo.InvariantCulture), StringComparer.Ordinal);
}
