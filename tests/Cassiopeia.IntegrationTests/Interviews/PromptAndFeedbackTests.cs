using System.Net;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;

namespace Cassiopeia.IntegrationTests.Interviews;

/// <summary>GET/POST /v1/prompts and POST /v1/feedback.</summary>
public abstract class PromptAndFeedbackTests(ApiFixture fixture) : MatchTest(fixture)
{
    private const string Rubric = """[{"criterion": "clarity", "description": "Easy to follow."}, {"criterion": "impact", "description": "Names the outcome."}]""";

    [Fact]
    public async Task Every_member_sees_the_built_in_versions_and_the_offline_engines_are_active_without_a_chat_model()
    {
        var owner = await SignUpAsync();
        var viewer = await SignUpAsync();
        await AddMemberAsync(owner, viewer, "viewer");

        var items = await ListAsync(viewer, owner.OrganizationId);

        Assert.Equal(["match-v1", "questions-llm-v1", "questions-offline-v1", "rubric-llm-v1", "rubric-offline-v1"], items.Select(i => i.GetProperty("version").GetString()).Order(StringComparer.Ordinal));
        Assert.All(items, i => Assert.True(i.GetProperty("builtIn").GetBoolean()));
        Assert.Equal(["match-v1", "questions-offline-v1", "rubric-offline-v1"], items.Where(i => i.GetProperty("active").GetBoolean()).Select(i => i.GetProperty("version").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(2, (await ListAsync(viewer, owner.OrganizationId, "?kind=rubric")).Count);
    }

    [Fact]
    public async Task An_admin_adds_a_version_that_becomes_active_for_that_organization_only_and_is_audited()
    {
        var owner = await SignUpAsync();
        var stranger = await SignUpAsync();

        var response = await SendAsync(owner, HttpMethod.Post, "/v1/prompts", new { kind = "rubric", version = "rubric-v2", content = Rubric, description = "Shorter" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var added = await Json(response);
        Assert.Equal(("rubric-v2", false, true), (added.GetProperty("version").GetString(), added.GetProperty("builtIn").GetBoolean(), added.GetProperty("active").GetBoolean()));
        var rubrics = await ListAsync(owner, null, "?kind=rubric");
        Assert.Equal("rubric-v2", Assert.Single(rubrics, r => r.GetProperty("active").GetBoolean()).GetProperty("version").GetString());
        Assert.Equal(3, rubrics.Count);
        Assert.DoesNotContain(await ListAsync(stranger, null), i => i.GetProperty("version").GetString() == "rubric-v2");
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(stranger, HttpMethod.Post, "/v1/prompts", new { kind = "rubric", version = "rubric-v2", content = Rubric })).StatusCode);

        var audit = await Json(await SendAsync(owner, HttpMethod.Get, "/v1/audit-events"));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "prompt_version.added" && e.GetProperty("targetId").GetString() == added.GetProperty("id").GetString());
    }

    [Fact]
    public async Task Members_cannot_add_versions_and_bad_versions_are_refused_without_change()
    {
        var owner = await SignUpAsync();
        var member = await SignUpAsync();
        await AddMemberAsync(owner, member, "member");

        await AssertProblem(await SendAsync(member, HttpMethod.Post, "/v1/prompts", new { kind = "match", version = "match-v9", content = "Extract requirements." }, owner.OrganizationId), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/prompts", new { kind = "match", version = "match-v1", content = "Extract requirements." }), HttpStatusCode.Conflict, "prompt-version-exists");
        foreach (var body in new object[]
        {
            new { kind = "poem", version = "poem-v1", content = "x" },
            new { kind = "match", version = "Match V2!", content = "x" },
            new { kind = "match", version = "../../etc", content = "x" },
            new { kind = "match", version = "match-v2", content = "" },
            new { kind = "match", version = "match-v2", content = "rules\u0000hidden" },
            new { kind = "match", version = "match-v2", content = new string('x', 20_001) },
            new { kind = "rubric", version = "rubric-v3", content = "not json" },
            new { kind = "rubric", version = "rubric-v3", content = "[]" },
            new { kind = "rubric", version = "rubric-v3", content = """[{"criterion": "", "description": "x"}]""" },
            new { kind = "match", version = "match-v2", content = "x", description = new string('d', 301) },
        })
        {
            await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/prompts", body), HttpStatusCode.BadRequest, "validation");
        }

        await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/prompts?kind=poem"), HttpStatusCode.BadRequest, "validation");
        Assert.Equal(5, (await ListAsync(owner, null)).Count);
    }

    [Fact]
    public async Task A_new_match_version_is_recorded_by_the_matches_made_after_it()
    {
        var owner = await SignUpAsync();
        var cv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.PartialCv), "cv.md", "cv");
        var jd = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.Jd), "jd.md", "jd");
        var before = await MatchAsync(owner, cv, jd);

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(owner, HttpMethod.Post, "/v1/prompts", new { kind = "match", version = "match-v2", content = "List the requirements as JSON." })).StatusCode);
        var after = await MatchAsync(owner, cv, jd);

        Assert.Equal("match-v1", before.GetProperty("promptVersion").GetString());
        Assert.Equal("match-v2", after.GetProperty("promptVersion").GetString());
        var reread = await Json(await SendAsync(owner, HttpMethod.Get, $"/v1/matches/{before.GetProperty("id").GetString()}"));
        Assert.Equal("match-v1", reread.GetProperty("promptVersion").GetString());
    }

    [Fact]
    public async Task Feedback_on_a_match_of_the_organization_is_stored_and_on_anything_else_is_a_404()
    {
        var owner = await SignUpAsync();
        var stranger = await SignUpAsync();
        var cv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.PartialCv), "cv.md", "cv");
        var jd = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.Jd), "jd.md", "jd");
        var matchId = (await MatchAsync(owner, cv, jd)).GetProperty("id").GetString()!;

        var response = await SendAsync(owner, HttpMethod.Post, "/v1/feedback", new { targetType = "match", targetId = matchId, rating = -1, comment = "Missed my Kubernetes work." });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var feedback = await Json(response);
        Assert.StartsWith("fbk_", feedback.GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal((-1, "Missed my Kubernetes work."), (feedback.GetProperty("rating").GetInt32(), feedback.GetProperty("comment").GetString()));
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(owner, HttpMethod.Post, "/v1/feedback", new { targetType = "ask", targetId = "req-123", rating = 1 })).StatusCode);

        await AssertProblem(await SendAsync(stranger, HttpMethod.Post, "/v1/feedback", new { targetType = "match", targetId = matchId, rating = 1 }), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/feedback", new { targetType = "match", targetId = "mat_doesnotexist", rating = 1 }), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/feedback", new { targetType = "interview", targetId = matchId, rating = 1 }), HttpStatusCode.NotFound, "not-found");
    }

    [Fact]
    public async Task Bad_feedback_is_a_400_and_viewers_cannot_rate()
    {
        var owner = await SignUpAsync();
        var viewer = await SignUpAsync();
        await AddMemberAsync(owner, viewer, "viewer");

        foreach (var body in new object[]
        {
            new { targetType = "match", targetId = "mat_x" },
            new { targetType = "match", targetId = "mat_x", rating = 0 },
            new { targetType = "match", targetId = "mat_x", rating = 5 },
            new { targetType = "poem", targetId = "x", rating = 1 },
            new { targetType = "ask", targetId = "", rating = 1 },
            new { targetType = "ask", targetId = "'; DROP TABLE ai_feedback; --", rating = 1 },
            new { targetType = "ask", targetId = new string('a', 101), rating = 1 },
            new { targetType = "ask", targetId = "req-1", rating = 1, comment = new string('c', 2001) },
            new { targetType = "ask", targetId = "req-1", rating = 1, comment = "bell\u0007" },
        })
        {
            await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/feedback", body), HttpStatusCode.BadRequest, "validation");
        }

        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/feedback", new { targetType = "ask", targetId = "req-1", rating = 1.5 }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(viewer, HttpMethod.Post, "/v1/feedback", new { targetType = "ask", targetId = "req-1", rating = 1 }, owner.OrganizationId), HttpStatusCode.Forbidden);
    }

    private async Task<List<JsonElement>> ListAsync(Session session, string? organizationId, string query = "")
    {
        var response = await SendAsync(session, HttpMethod.Get, "/v1/prompts" + query, organizationId: organizationId);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json(response)).GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}

public sealed class SqlitePromptAndFeedbackTests(SqliteIngestionFixture fixture) : PromptAndFeedbackTests(fixture), IClassFixture<SqliteIngestionFixture>;

public sealed class PostgresPromptAndFeedbackTests(PostgresIngestionFixture fixture) : PromptAndFeedbackTests(fixture), IClassFixture<PostgresIngestionFixture>;
