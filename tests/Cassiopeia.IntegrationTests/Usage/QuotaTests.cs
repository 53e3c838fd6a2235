using System.Net;
using System.Net.Http.Json;
using Cassiopeia.Core.Billing;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;
using Cassiopeia.IntegrationTests.Interviews;

namespace Cassiopeia.IntegrationTests.Usage;

/// <summary>Quotas taken atomically at the moment of use, per billing period, from the plan in force at that moment.</summary>
public abstract class QuotaTests(ApiFixture fixture) : UsageTest(fixture)
{
    [Fact]
    public async Task With_ten_left_fifty_concurrent_asks_give_ten_answers_and_forty_402s() =>
        await WithSettingsAsync(Limits((Metrics.Asks, 15)), async () =>
        {
            var owner = await SignUpAsync();
            for (var i = 0; i < 5; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
            }

            var responses = await Task.WhenAll(Enumerable.Range(0, 50).Select(i => AskAsync(owner, $"Question number {i}?")));

            Assert.Equal(10, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
            var refused = responses.Where(r => r.StatusCode != HttpStatusCode.OK).ToList();
            Assert.Equal(40, refused.Count);
            foreach (var response in refused)
            {
                var problem = await AssertProblem(response, HttpStatusCode.PaymentRequired, "quota-exceeded");
                Assert.Equal(Metrics.Asks, problem.GetProperty("metric").GetString());
                Assert.Equal(15, problem.GetProperty("limit").GetInt64());
                Assert.Contains("15 asks", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
                Assert.True(problem.GetProperty("resetsAt").GetDateTime() > Factory.Time.GetUtcNow().UtcDateTime);
            }

            var report = await UsageAsync(owner);
            Assert.Equal(15, Limit(report, Metrics.Asks).GetProperty("used").GetInt64());
            Assert.Equal(0, Limit(report, Metrics.Asks).GetProperty("remaining").GetInt64());
            Assert.Equal(15, Total(report, Metrics.Asks).GetProperty("quantity").GetInt64());
        });

    [Fact]
    public async Task A_new_billing_period_starts_a_new_count() =>
        await WithSettingsAsync(Limits((Metrics.Asks, 2)), async () =>
        {
            var owner = await SignUpAsync();
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
            var refused = await AssertProblem(await AskAsync(owner), HttpStatusCode.PaymentRequired, "quota-exceeded");
            var reset = refused.GetProperty("resetsAt").GetDateTime().ToUniversalTime();

            Factory.Time.Advance(reset - Factory.Time.GetUtcNow().UtcDateTime + TimeSpan.FromMinutes(1));
            var fresh = await LogInAgainAsync(owner);
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(fresh)).StatusCode);
            var report = await UsageAsync(fresh);
            Assert.Equal(1, Limit(report, Metrics.Asks).GetProperty("used").GetInt64());
            Assert.Equal(reset, report.GetProperty("limits").GetProperty("periodStart").GetDateTime().ToUniversalTime());
        });

    [Fact]
    public async Task A_change_of_plan_applies_at_once_and_a_downgrade_below_usage_refuses_more_but_deletes_nothing() =>
        await WithSettingsAsync(Limits((Metrics.Asks, 2)), async () =>
        {
            var owner = await SignUpAsync();
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
            await AssertProblem(await AskAsync(owner), HttpStatusCode.PaymentRequired, "quota-exceeded");

            // Upgrade: the pro plan's limit counts from the next request on.
            Factory.Settings.Set(new Dictionary<string, string?> { ["Billing:DefaultPlanId"] = "pro" });
            for (var i = 0; i < 3; i++)
            {
                Assert.Equal(HttpStatusCode.OK, (await AskAsync(owner)).StatusCode);
            }

            var upgraded = await UsageAsync(owner);
            Assert.Equal("pro", upgraded.GetProperty("limits").GetProperty("planId").GetString());
            Assert.Equal(5, Limit(upgraded, Metrics.Asks).GetProperty("used").GetInt64());

            // Downgrade to a limit below what is used: refused from now on, nothing taken away.
            Factory.Settings.Set(new Dictionary<string, string?> { ["Billing:DefaultPlanId"] = "free" });
            var problem = await AssertProblem(await AskAsync(owner), HttpStatusCode.PaymentRequired, "quota-exceeded");
            Assert.Equal(2, problem.GetProperty("limit").GetInt64());
            var downgraded = await UsageAsync(owner);
            Assert.Equal(5, Limit(downgraded, Metrics.Asks).GetProperty("used").GetInt64());
            Assert.Equal(0, Limit(downgraded, Metrics.Asks).GetProperty("remaining").GetInt64());
            Assert.Equal(5, Total(downgraded, Metrics.Asks).GetProperty("quantity").GetInt64());
            Assert.Equal(5, (await EventsAsync(owner.OrganizationId)).Count(e => e.Metric == Metrics.Asks));
        });

    [Fact]
    public async Task Documents_and_questions_stop_at_their_limits_and_refused_requests_change_nothing() =>
        await WithSettingsAsync(Limits((Metrics.Documents, 2), (Metrics.InterviewQuestions, 4)), async () =>
        {
            var owner = await SignUpAsync();
            var (cv, jd) = await PairAsync(owner);
            var third = await SendUploadAsync(owner, TestFiles.Utf8("A third document " + Guid.NewGuid()), "third.md", "other");
            var problem = await AssertProblem(third, HttpStatusCode.PaymentRequired, "quota-exceeded");
            Assert.Equal(Metrics.Documents, problem.GetProperty("metric").GetString());

            // The same bytes again are the existing document, quota or not.
            Assert.Equal(HttpStatusCode.OK, (await SendUploadAsync(owner, TestFiles.Utf8(LabelledSet.Jd), "again.md", "jd")).StatusCode);

            // Five questions asked for, four allowed: refused whole; three fit.
            var tooMany = await SendAsync(owner, HttpMethod.Post, "/v1/interviews", new { cvDocumentId = cv, jdDocumentId = jd, questionCount = 5 });
            await AssertProblem(tooMany, HttpStatusCode.PaymentRequired, "quota-exceeded");
            Assert.Equal((0, 0, 0), await CountAsync(owner.OrganizationId));
            await InterviewAsync(owner, new { cvDocumentId = cv, jdDocumentId = jd, questionCount = 3 });

            var report = await UsageAsync(owner);
            Assert.Equal(2, Limit(report, Metrics.Documents).GetProperty("used").GetInt64());
            Assert.Equal(3, Limit(report, Metrics.InterviewQuestions).GetProperty("used").GetInt64());
        });

    [Fact]
    public async Task A_document_whose_pages_exceed_the_quota_fails_with_the_reason_and_uploads_stop_when_none_are_left() =>
        await WithSettingsAsync(Limits((Metrics.PagesIngested, 2)), async () =>
        {
            var owner = await SignUpAsync();
            var pdf = await UploadAsync(owner, TestFiles.Pdf(["Page one of three."], ["Page two of three."], ["Page three of three."]), "three.pdf");
            var failed = await WaitForAsync(owner, pdf, "failed");
            Assert.Contains("pages quota", failed.GetProperty("error").GetString()!, StringComparison.Ordinal);
            Assert.Contains("resets at", failed.GetProperty("error").GetString()!, StringComparison.Ordinal);
            Assert.Empty(await ChunksAsync(owner, pdf));

            var one = await UploadAsync(owner, TestFiles.Utf8("One page of plain text " + Guid.NewGuid()), "one.md");
            await WaitForAsync(owner, one, "ready");
            var two = await UploadAsync(owner, TestFiles.Utf8("Another page of plain text " + Guid.NewGuid()), "two.md");
            await WaitForAsync(owner, two, "ready");

            var refused = await AssertProblem(await SendUploadAsync(owner, TestFiles.Utf8("No room " + Guid.NewGuid()), "none.md"), HttpStatusCode.PaymentRequired, "quota-exceeded");
            Assert.Equal(Metrics.PagesIngested, refused.GetProperty("metric").GetString());
            var report = await UsageAsync(owner);
            Assert.Equal(2, Limit(report, Metrics.PagesIngested).GetProperty("used").GetInt64());
            Assert.Equal(3, Limit(report, Metrics.Documents).GetProperty("used").GetInt64());
        });

    private async Task<Session> LogInAgainAsync(Session session)
    {
        var login = await Json(await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password }));
        return session with { AccessToken = login.GetProperty("accessToken").GetString()! };
    }
}

public sealed class SqliteQuotaTests(SqliteUsageFixture fixture) : QuotaTests(fixture), IClassFixture<SqliteUsageFixture>;

public sealed class PostgresQuotaTests(PostgresUsageFixture fixture) : QuotaTests(fixture), IClassFixture<PostgresUsageFixture>;
