using System.Net;
using System.Text.Json;
using Cassiopeia.Core.Billing;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;
using Cassiopeia.IntegrationTests.Interviews;

namespace Cassiopeia.IntegrationTests.Usage;

/// <summary>Usage events for every billable action, and the usage report read from the daily roll-ups.</summary>
public abstract class UsageTests(ApiFixture fixture) : UsageTest(fixture)
{
    [Fact]
    public async Task Every_billable_action_appends_one_event_with_its_quantity_and_cost()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await PairAsync(owner);
        var duplicate = await SendUploadAsync(owner, TestFiles.Utf8(LabelledSet.Jd), "again.md", "jd");
        Assert.Equal(HttpStatusCode.OK, duplicate.StatusCode);

        var ask = await AskAsync(owner, "Which skills does the job ask for?");
        Assert.Equal(HttpStatusCode.OK, ask.StatusCode);
        var askTokens = (await Json(ask)).GetProperty("usage");
        var interview = await InterviewAsync(owner, new { cvDocumentId = cv, jdDocumentId = jd, questionCount = 3 });
        var question = Questions(interview)[0];
        await AnsweredAsync(owner, Id(interview), Id(question), "I ran Kubernetes clusters in production for four years and automated deployments.");

        var events = await EventsAsync(owner.OrganizationId);
        Assert.Equal(2, events.Count(e => e.Metric == Metrics.Documents)); // the duplicate upload is not one
        Assert.All(events.Where(e => e.Metric == Metrics.Documents), e => Assert.True(e.Quantity == 1 && e.UserId == owner.UserId && e.CostUsd == UsageFixture.DocumentPrice));
        Assert.Equal(2, events.Count(e => e.Metric == Metrics.PagesIngested));
        Assert.All(events.Where(e => e.Metric == Metrics.PagesIngested), e =>
        {
            Assert.Equal(owner.UserId, e.UserId); // ingestion has no caller: the uploader is
            Assert.Equal(e.Quantity * UsageFixture.PagePrice, e.CostUsd);
        });
        Assert.Single(events, e => e.Metric == Metrics.Asks && e.Quantity == 1 && e.CostUsd == UsageFixture.AskPrice);
        Assert.Single(events, e => e.Metric == Metrics.InterviewQuestions && e.Quantity == 3 && e.CostUsd == 3 * UsageFixture.QuestionPrice);
        Assert.Single(events, e => e.Metric == Metrics.AnswersScored && e.Quantity == 1 && e.CostUsd == UsageFixture.AnswerPrice);

        // Tokens per model, input and output priced separately; the offline engines cost nothing.
        var (input, output) = (askTokens.GetProperty("inputTokens").GetInt64(), askTokens.GetProperty("outputTokens").GetInt64());
        var askModel = Assert.Single(events, e => e.Metric == Metrics.LlmTokens && e.Model == "extractive");
        Assert.Equal(input + output, askModel.Quantity);
        Assert.Equal(decimal.Round((input * UsageFixture.InputPerMillion / 1_000_000m) + (output * UsageFixture.OutputPerMillion / 1_000_000m), 9), askModel.CostUsd);
        Assert.True(askModel.CostUsd > 0);
        Assert.All(events.Where(e => e.Metric == Metrics.LlmTokens && e.Model != "extractive"), e => Assert.Equal(0m, e.CostUsd));

        // The report agrees with the events, and the quota counters with both.
        var report = await UsageAsync(owner);
        foreach (var metric in new[] { Metrics.Documents, Metrics.PagesIngested, Metrics.Asks, Metrics.InterviewQuestions, Metrics.AnswersScored, Metrics.LlmTokens })
        {
            var total = Total(report, metric);
            Assert.Equal(events.Where(e => e.Metric == metric).Sum(e => e.Quantity), total.GetProperty("quantity").GetInt64());
            Assert.Equal(events.Where(e => e.Metric == metric).Sum(e => e.CostUsd), total.GetProperty("costUsd").GetDecimal());
            Assert.Equal(total.GetProperty("quantity").GetInt64(), Limit(report, metric).GetProperty("used").GetInt64());
        }

        Assert.Equal(events.Sum(e => e.CostUsd), report.GetProperty("totals").GetProperty("costUsd").GetDecimal());
    }

    [Fact]
    public async Task The_report_gives_days_totals_and_limits_and_admins_see_each_member()
    {
        var owner = await SignUpAsync();
        var member = await SignUpAsync();
        await AddMemberAsync(owner, member, "member");
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(member, HttpMethod.Post, "/v1/ask", new { question = "Anything?" }, owner.OrganizationId)).StatusCode);

        var today = DateOnly.FromDateTime(Factory.Time.GetUtcNow().UtcDateTime).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        var report = await UsageAsync(owner, $"?from={today}&to={today}&granularity=day");
        var asks = Assert.Single(report.GetProperty("items").EnumerateArray(), i => i.GetProperty("metric").GetString() == Metrics.Asks);
        Assert.Equal(today, asks.GetProperty("date").GetString());
        Assert.Equal(3, asks.GetProperty("quantity").GetInt64());
        Assert.Equal(3, Total(report, Metrics.Asks).GetProperty("quantity").GetInt64());
        var limit = Limit(report, Metrics.Asks);
        Assert.Equal(1_000_000_000, limit.GetProperty("limit").GetInt64());
        Assert.Equal(3, limit.GetProperty("used").GetInt64());
        Assert.Equal(1_000_000_000 - 3, limit.GetProperty("remaining").GetInt64());
        Assert.Equal("free", report.GetProperty("limits").GetProperty("planId").GetString());
        Assert.Equal(JsonValueKind.Null, report.GetProperty("members").ValueKind);

        // A member sees the organization's usage, but not who did what.
        var seenByMember = await SendAsync(member, HttpMethod.Get, "/v1/usage", organizationId: owner.OrganizationId);
        Assert.Equal(3, Total(await Json(seenByMember), Metrics.Asks).GetProperty("quantity").GetInt64());
        await AssertProblem(await SendAsync(member, HttpMethod.Get, "/v1/usage?by=member", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);

        // Usage per member is a feature of the team plan.
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/usage?by=member"), HttpStatusCode.PaymentRequired, "plan-upgrade-required");
        await UpgradeAsync(owner);
        var perMember = await UsageAsync(owner, "?by=member");
        var items = perMember.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("metric").GetString() == Metrics.Asks).ToList();
        Assert.Equal(2, items.Single(i => i.GetProperty("userId").GetString() == owner.UserId).GetProperty("quantity").GetInt64());
        Assert.Equal(1, items.Single(i => i.GetProperty("userId").GetString() == member.UserId).GetProperty("quantity").GetInt64());
        var members = perMember.GetProperty("members").EnumerateArray().ToList();
        Assert.Equal(member.Email, members.Single(m => m.GetProperty("userId").GetString() == member.UserId).GetProperty("email").GetString());

        // Days outside the range hold nothing.
        var earlier = await UsageAsync(owner, "?from=2020-01-01&to=2020-12-31");
        Assert.Empty(earlier.GetProperty("items").EnumerateArray());
        Assert.Equal(0m, earlier.GetProperty("totals").GetProperty("costUsd").GetDecimal());
    }

    [Theory]
    [InlineData("?from=2026-13-01")]
    [InlineData("?from=yesterday")]
    [InlineData("?to=2026-02-30")]
    [InlineData("?from=2026-05-02&to=2026-05-01")]
    [InlineData("?from=2024-01-01&to=2025-12-31")]
    [InlineData("?granularity=hour")]
    [InlineData("?by=team")]
    [InlineData("?from=%27%20OR%201%3D1--")]
    public async Task Bad_report_queries_are_400_problems(string query)
    {
        var owner = await SignUpAsync();
        var problem = await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/usage" + query), HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out _));
    }

    [Fact]
    public async Task Another_organizations_usage_cannot_be_read()
    {
        var owner = await SignUpAsync();
        var stranger = await SignUpAsync();
        Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);

        await UpgradeAsync(stranger);
        var own = await UsageAsync(stranger, "?by=member");
        Assert.Empty(own.GetProperty("items").EnumerateArray());
        Assert.Equal(0, Limit(own, Metrics.Asks).GetProperty("used").GetInt64());
        await AssertProblem(await SendAsync(stranger, HttpMethod.Get, "/v1/usage", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);

        var key = await CreateApiKeyAsync(stranger, "billing");
        var byKey = await SendWithKeyAsync(key, HttpMethod.Get, "/v1/usage");
        Assert.Empty((await Json(byKey)).GetProperty("items").EnumerateArray());
        var defaultKey = await CreateApiKeyAsync(stranger);
        await AssertProblem(await SendWithKeyAsync(defaultKey, HttpMethod.Get, "/v1/usage"), HttpStatusCode.Forbidden);
        await AssertProblem(await Client.GetAsync("/v1/usage"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Uploads_and_ingestion_that_commit_together_account_every_document_and_page()
    {
        var owner = await SignUpAsync();
        var ids = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            UploadAsync(owner, TestFiles.Utf8($"Concurrent upload number {i} about careful accounting of usage."), $"together-{i}.txt", "other")));
        foreach (var id in ids)
        {
            await WaitForAsync(owner, id, "ready");
        }

        var events = await EventsAsync(owner.OrganizationId);
        foreach (var metric in new[] { Metrics.Documents, Metrics.PagesIngested })
        {
            var ofMetric = events.Where(e => e.Metric == metric).ToList();
            Assert.Equal(12, ofMetric.Sum(e => e.Quantity)); // a text document counts one page
            Assert.InRange(ofMetric.Count, 1, 12);
            Assert.All(ofMetric, e => Assert.Equal(owner.UserId, e.UserId));
            Assert.Equal(12, Total(await UsageAsync(owner), metric).GetProperty("quantity").GetInt64());
        }

        Assert.Equal(12 * UsageFixture.PagePrice, events.Where(e => e.Metric == Metrics.PagesIngested).Sum(e => e.CostUsd));
    }
}

public sealed class SqliteUsageTests(SqliteUsageFixture fixture) : UsageTests(fixture), IClassFixture<SqliteUsageFixture>;

public sealed class PostgresUsageTests(PostgresUsageFixture fixture) : UsageTests(fixture), IClassFixture<PostgresUsageFixture>;
