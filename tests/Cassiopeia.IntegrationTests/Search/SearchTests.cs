using System.Net;
using System.Text.Json;
using Cassiopeia.Core.Data;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Search;

public abstract class SearchTests(ApiFixture fixture) : IngestionTest(fixture)
{
    [Fact]
    public async Task Every_mode_finds_the_matching_chunk_with_text_score_and_page()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await TwoDocumentsAsync(owner);

        foreach (var mode in new[] { "hybrid", "keyword", "vector" })
        {
            var results = await SearchAsync(owner, new { query = "photosynthesis chloroplast research", mode });
            Assert.True(results.Count > 0, mode);
            var top = results[0];
            Assert.Equal(cv, top.GetProperty("documentId").GetString());
            Assert.Contains("chloroplast", top.GetProperty("text").GetString()!, StringComparison.Ordinal);
            Assert.True(top.GetProperty("score").GetDouble() > 0);
            Assert.Equal(1, top.GetProperty("page").GetInt32());
            Assert.StartsWith("chk_", top.GetProperty("chunkId").GetString()!, StringComparison.Ordinal);
            Assert.Equal(results.Select(r => r.GetProperty("score").GetDouble()).OrderByDescending(s => s), results.Select(r => r.GetProperty("score").GetDouble()));
        }

        var hybrid = await SearchAsync(owner, new { query = "Kubernetes platform engineer" });
        Assert.Equal(jd, hybrid[0].GetProperty("documentId").GetString());
    }

    [Fact]
    public async Task Filters_by_documents_and_kinds_and_bounds_top_k()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await TwoDocumentsAsync(owner);

        var onlyJd = await SearchAsync(owner, new { query = "photosynthesis chloroplast", documentIds = new[] { jd } });
        Assert.All(onlyJd, r => Assert.Equal(jd, r.GetProperty("documentId").GetString()));
        var onlyCvKind = await SearchAsync(owner, new { query = "Kubernetes platform", kinds = new[] { "cv" } });
        Assert.All(onlyCvKind, r => Assert.Equal(cv, r.GetProperty("documentId").GetString()));
        Assert.Empty(await SearchAsync(owner, new { query = "Kubernetes", kinds = new[] { "rubric" } }));
        Assert.Single(await SearchAsync(owner, new { query = "research platform engineer photosynthesis", topK = 1 }));
    }

    [Fact]
    public async Task Another_organization_finds_nothing_and_cannot_name_our_documents()
    {
        var owner = await SignUpAsync();
        var (cv, _) = await TwoDocumentsAsync(owner);
        var stranger = await SignUpAsync();

        foreach (var mode in new[] { "hybrid", "keyword", "vector" })
        {
            Assert.Empty(await SearchAsync(stranger, new { query = "photosynthesis chloroplast", mode }));
            Assert.Empty(await SearchAsync(stranger, new { query = "photosynthesis chloroplast", mode, documentIds = new[] { cv } }));
        }

        await AssertProblem(await SendAsync(stranger, HttpMethod.Post, "/v1/search", new { query = "photosynthesis" }, owner.OrganizationId), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Deleted_and_unfinished_documents_are_never_returned()
    {
        var owner = await SignUpAsync();
        var (cv, jd) = await TwoDocumentsAsync(owner);

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Documents.IgnoreQueryFilters().Where(d => d.Id == jd).ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, "processing"));
        }

        Assert.DoesNotContain(await SearchAsync(owner, new { query = "Kubernetes platform engineer" }), r => r.GetProperty("documentId").GetString() == jd);
        Assert.Empty(await SearchAsync(owner, new { query = "Kubernetes", documentIds = new[] { jd } }));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"/v1/documents/{cv}")).StatusCode);
        foreach (var mode in new[] { "hybrid", "keyword", "vector" })
        {
            Assert.DoesNotContain(await SearchAsync(owner, new { query = "photosynthesis chloroplast research", mode }), r => r.GetProperty("documentId").GetString() == cv);
        }
    }

    [Fact]
    public async Task Bad_requests_are_problems_and_query_syntax_is_just_text()
    {
        var owner = await SignUpAsync();
        await TwoDocumentsAsync(owner);

        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "" }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "x", topK = 0 }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "x", topK = 51 }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "x", mode = "semantic" }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "x", kinds = new[] { "secret" } }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "x", documentIds = Enumerable.Range(0, 101).Select(i => $"doc_{i}").ToArray() }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = new string('a', 2001) }), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "x\u0000y" }), HttpStatusCode.BadRequest);
        using (var malformed = owner.Request(HttpMethod.Post, "/v1/search"))
        {
            malformed.Content = new StringContent("{\"query\": ", System.Text.Encoding.UTF8, "application/json");
            await AssertProblem(await Client.SendAsync(malformed), HttpStatusCode.BadRequest);
        }

        // FTS and tsquery operators in a query are words, never syntax.
        foreach (var hostile in new[] { "\"unbalanced", "NEAR(a b) OR * AND -x", "photosynthesis' OR 1=1 --", "a & b | !c :* <->", "***" })
        {
            var response = await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = hostile, mode = "keyword" });
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        Assert.NotEmpty(await SearchAsync(owner, new { query = "photosynthesis' OR 1=1 --", mode = "keyword" }));
    }

    [Fact]
    public async Task Viewers_and_read_keys_search_and_keys_without_the_scope_do_not()
    {
        var owner = await SignUpAsync();
        var viewer = await SignUpAsync();
        await AddMemberAsync(owner, viewer, "viewer");
        await TwoDocumentsAsync(owner);

        var asViewer = await SendAsync(viewer, HttpMethod.Post, "/v1/search", new { query = "photosynthesis" }, owner.OrganizationId);
        Assert.Equal(HttpStatusCode.OK, asViewer.StatusCode);
        var readKey = await CreateApiKeyAsync(owner, "documents:read");
        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(readKey, HttpMethod.Post, "/v1/search", new { query = "photosynthesis" })).StatusCode);
        var billingKey = await CreateApiKeyAsync(owner, "billing");
        await AssertProblem(await SendWithKeyAsync(billingKey, HttpMethod.Post, "/v1/search", new { query = "photosynthesis" }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsync("/v1/search", System.Net.Http.Json.JsonContent.Create(new { query = "x" }))).StatusCode);
    }

    private async Task<(string Cv, string Jd)> TwoDocumentsAsync(Session owner)
    {
        var cv = await UploadAsync(owner, TestFiles.Pdf([
            "Research scientist in plant biology.",
            "Ten years of photosynthesis research on chloroplast membranes and light harvesting."]), "cv.pdf", "cv");
        var jd = await UploadAsync(owner, TestFiles.Utf8("# Platform engineer\n\nWe need a platform engineer who runs Kubernetes clusters and deployment pipelines."), "jd.md", "jd");
        await WaitForAsync(owner, cv, "ready");
        await WaitForAsync(owner, jd, "ready");
        return (cv, jd);
    }

    private async Task<List<JsonElement>> SearchAsync(Session session, object body)
    {
        var response = await SendAsync(session, HttpMethod.Post, "/v1/search", body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await Json(response)).GetProperty("results").EnumerateArray().Select(e => e.Clone()).ToList();
    }
}

public sealed class SqliteSearchTests(SqliteIngestionFixture fixture) : SearchTests(fixture), IClassFixture<SqliteIngestionFixture>;

public sealed class PostgresSearchTests(PostgresIngestionFixture fixture) : SearchTests(fixture), IClassFixture<PostgresIngestionFixture>;

/// <summary>The same expectations with the vectors in pgvector, plus that deleting a document empties its rows there.</summary>
public sealed class PgvectorSearchTests(PostgresPgvectorIngestionFixture fixture) : SearchTests(fixture), IClassFixture<PostgresPgvectorIngestionFixture>
{
    [Fact]
    public async Task Deleting_a_document_removes_its_vectors_from_pgvector()
    {
        var owner = await SignUpAsync();
        var document = await UploadAsync(owner, TestFiles.Utf8("# Notes\n\nGlacier hydrology and meltwater channels in the Alps."), "notes.md", "other");
        await WaitForAsync(owner, document, "ready");
        var hits = await SendAsync(owner, HttpMethod.Post, "/v1/search", new { query = "glacier meltwater", mode = "vector" });
        Assert.Equal(HttpStatusCode.OK, hits.StatusCode);
        Assert.True(await TestPgvector.CountAsync(fixture.Schema, document) > 0);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"/v1/documents/{document}")).StatusCode);
        Assert.Equal(0, await TestPgvector.CountAsync(fixture.Schema, document));
    }

    [Fact]
    public async Task Readiness_includes_the_pgvector_store()
    {
        var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        using var body = JsonDocument.Parse(await ready.Content.ReadAsStringAsync());
        Assert.Equal("Healthy", body.RootElement.GetProperty("checks").GetProperty("pgvector").GetString());
    }
}
