using System.Net;
using System.Net.Http.Headers;
using Cassiopeia.Core.Data;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Interviews;

/// <summary>POST /v1/matches and GET /v1/matches/{id}: the contract, roles, tenancy and bad input.</summary>
public abstract class MatchTests(ApiFixture fixture) : MatchTest(fixture)
{
    [Fact]
    public async Task A_match_is_created_stored_and_read_back_with_its_version_and_usage()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await PairAsync(owner);

        var response = await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { cvDocumentId = cv, jdDocumentId = jd });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var match = await Json(response);
        var id = match.GetProperty("id").GetString()!;
        Assert.StartsWith("mat_", id, StringComparison.Ordinal);
        Assert.Equal($"/v1/matches/{id}", response.Headers.Location?.OriginalString);
        Assert.InRange(Score(match), 0, 100);
        Assert.Equal("match-v1", match.GetProperty("promptVersion").GetString());
        Assert.Equal("rules", match.GetProperty("extractor").GetString());
        Assert.Contains("Strongest matches", match.GetProperty("summary").GetString()!, StringComparison.Ordinal);
        Assert.All(Requirements(match), r => Assert.Contains(r.GetProperty("status").GetString(), new[] { "met", "partial", "missing" }));
        Assert.Contains(Factory.Logs.Lines, l => l.Contains("Usage: match on rules for organization " + owner.OrganizationId, StringComparison.Ordinal));

        var read = await SendAsync(owner, HttpMethod.Get, $"/v1/matches/{id}");
        Assert.Equal(HttpStatusCode.OK, read.StatusCode);
        Assert.Equal(match.GetRawText(), (await Json(read)).GetRawText());
        using var again = owner.Request(HttpMethod.Get, $"/v1/matches/{id}");
        again.Headers.IfNoneMatch.Add(EntityTagHeaderValue.Parse(read.Headers.ETag!.ToString()));
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(again)).StatusCode);
    }

    [Fact]
    public async Task The_same_idempotency_key_returns_the_first_match()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await PairAsync(owner);
        var key = Guid.NewGuid().ToString("N");

        var ids = new List<string>();
        for (var i = 0; i < 2; i++)
        {
            using var request = owner.Request(HttpMethod.Post, "/v1/matches", new { cvDocumentId = cv, jdDocumentId = jd });
            request.Headers.Add("Idempotency-Key", key);
            var response = await Client.SendAsync(request);
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            ids.Add((await Json(response)).GetProperty("id").GetString()!);
        }

        Assert.Equal(ids[0], ids[1]);
        Assert.Equal(1, await CountMatchesAsync(owner.OrganizationId));
    }

    [Fact]
    public async Task A_document_that_is_not_ready_is_a_409_naming_it_and_its_status()
    {
        var owner = await SignUpAsync();
        var (cv, _) = await PairAsync(owner);
        var failed = await UploadAsync(owner, TestFiles.PdfWithoutText(), "scan.pdf", "jd");
        await WaitForAsync(owner, failed, "failed");

        var problem = await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { cvDocumentId = cv, jdDocumentId = failed }), HttpStatusCode.Conflict, "document-not-ready");

        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("job description document " + failed, detail, StringComparison.Ordinal);
        Assert.Contains("failed", detail, StringComparison.Ordinal);
        Assert.Equal(0, await CountMatchesAsync(owner.OrganizationId));
    }

    [Fact]
    public async Task Documents_and_matches_of_another_organization_answer_404_and_nothing_is_stored()
    {
        var owner = await SignUpAsync();
        var stranger = await SignUpAsync();
        var (cv, jd) = await PairAsync(owner);
        var (strangerCv, _) = await PairAsync(stranger);
        var match = await MatchAsync(owner, cv, jd);

        var problem = await AssertProblem(await SendAsync(stranger, HttpMethod.Post, "/v1/matches", new { cvDocumentId = strangerCv, jdDocumentId = jd }), HttpStatusCode.NotFound, "not-found");
        Assert.Contains("job description", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        await AssertProblem(await SendAsync(stranger, HttpMethod.Post, "/v1/matches", new { cvDocumentId = cv, jdDocumentId = jd }), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await SendAsync(stranger, HttpMethod.Get, $"/v1/matches/{match.GetProperty("id").GetString()}"), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0, await CountMatchesAsync(stranger.OrganizationId));
    }

    [Fact]
    public async Task Viewers_read_matches_but_cannot_create_them()
    {
        var owner = await SignUpAsync();
        var viewer = await SignUpAsync();
        await AddMemberAsync(owner, viewer, "viewer");
        var (cv, jd) = await PairAsync(owner);
        var id = (await MatchAsync(owner, cv, jd)).GetProperty("id").GetString();

        await AssertProblem(await SendAsync(viewer, HttpMethod.Post, "/v1/matches", new { cvDocumentId = cv, jdDocumentId = jd }, owner.OrganizationId), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(viewer, HttpMethod.Get, $"/v1/matches/{id}", organizationId: owner.OrganizationId)).StatusCode);
        Assert.Equal(1, await CountMatchesAsync(owner.OrganizationId));
    }

    [Fact]
    public async Task Malformed_and_hostile_requests_are_400_or_404_problems_and_store_nothing()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await PairAsync(owner);

        var missing = await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { }), HttpStatusCode.BadRequest, "validation");
        Assert.True(missing.GetProperty("errors").TryGetProperty("cvDocumentId", out _));
        Assert.True(missing.GetProperty("errors").TryGetProperty("jdDocumentId", out _));
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { cvDocumentId = cv, jdDocumentId = cv }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { cvDocumentId = new string('x', 5000), jdDocumentId = jd }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { cvDocumentId = 42, jdDocumentId = jd }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { cvDocumentId = "' OR 1=1 --", jdDocumentId = jd }), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/matches/%27%20OR%201%3D1%20--"), HttpStatusCode.NotFound, "not-found");
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/matches/" + new string('m', 3000)), HttpStatusCode.NotFound, "not-found");
        Assert.Equal(0, await CountMatchesAsync(owner.OrganizationId));
    }

    [Fact]
    public async Task Deleting_either_document_erases_its_matches()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await PairAsync(owner);
        var id = (await MatchAsync(owner, cv, jd)).GetProperty("id").GetString();

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"/v1/documents/{cv}")).StatusCode);

        await AssertProblem(await SendAsync(owner, HttpMethod.Get, $"/v1/matches/{id}"), HttpStatusCode.NotFound);
        Assert.Equal(0, await CountMatchesAsync(owner.OrganizationId));
    }

    [Fact]
    public async Task A_job_description_without_requirements_scores_0_and_says_why()
    {
        var owner = await SignUpAsync();
        var cv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.StrongCv), "cv.md", "cv");
        var jd = await ReadyAsync(owner, TestFiles.Utf8("# About us\n\nWe sell flowers in Lisbon and love what we do."), "jd.md", "jd");

        var match = await MatchAsync(owner, cv, jd);

        Assert.Equal(0, Score(match));
        Assert.Empty(Requirements(match));
        Assert.Contains("No requirements", match.GetProperty("summary").GetString()!, StringComparison.Ordinal);
    }

    protected async Task<(string Cv, string Jd)> PairAsync(Session owner)
    {
        var cv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.PartialCv + "\n<!-- " + Guid.NewGuid() + " -->"), "cv.md", "cv");
        var jd = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.Jd), "jd.md", "jd");
        return (cv, jd);
    }

    private async Task<int> CountMatchesAsync(string organizationId)
    {
        using var scope = Factory.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Matches.IgnoreQueryFilters().CountAsync(m => m.OrganizationId == organizationId);
    }
}

public sealed class SqliteMatchTests(SqliteIngestionFixture fixture) : MatchTests(fixture), IClassFixture<SqliteIngestionFixture>;

public sealed class PostgresMatchTests(PostgresIngestionFixture fixture) : MatchTests(fixture), IClassFixture<PostgresIngestionFixture>;
