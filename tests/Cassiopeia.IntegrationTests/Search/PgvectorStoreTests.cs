using Cassiopeia.Core.Search;
using Cassiopeia.Infrastructure.Search.Pgvector;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace Cassiopeia.IntegrationTests.Search;

/// <summary>The pgvector table against a real pgvector (PGlite): order, isolation, filters, deletes, recall of the HNSW path.</summary>
public sealed class PgvectorStoreTests(ITestOutputHelper output)
{
    private const string Model = "test-model";

    [Fact]
    public async Task Exact_and_index_search_return_the_exact_cosine_order()
    {
        await using var table = await TestPgvector.CreateTableAsync(new PgvectorOptions { Schema = TestPgvector.NewSchema(), EfSearch = 200 });
        var random = new Random(7);
        var rows = Rows(random, "org_a", 200, 16);
        await table.InsertAsync("org_a", rows, indexFirst: true, CancellationToken.None);
        var query = Normalised(random, 16);

        var expected = Exact(rows, query, 10);
        foreach (var exact in new[] { true, false })
        {
            var hits = await table.SearchAsync("org_a", Model, query, 10, null, exact, CancellationToken.None);
            Assert.Equal(expected.Select(r => r.ChunkId), hits.Select(h => h.ChunkId));
            Assert.Equal(Cosine(expected[0].Vector, query), hits[0].Score, 4);
        }
    }

    [Fact]
    public async Task Readiness_is_healthy_with_the_table_and_unhealthy_without_it_or_without_a_server()
    {
        await using var table = await TestPgvector.CreateTableAsync(new PgvectorOptions { Schema = TestPgvector.NewSchema() });
        await using var noTable = new PgvectorTable(TestPgvector.ConnectionString, Options.Create(new PgvectorOptions { Schema = TestPgvector.NewSchema() }));
        await using var noServer = new PgvectorTable("Host=127.0.0.1;Port=1;Username=x;Timeout=3", Options.Create(new PgvectorOptions { Schema = TestPgvector.NewSchema() }));

        Assert.Equal(HealthStatus.Healthy, (await new PgvectorHealthCheck(table).CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Equal(HealthStatus.Unhealthy, (await new PgvectorHealthCheck(noTable).CheckHealthAsync(new HealthCheckContext())).Status);
        Assert.Equal(HealthStatus.Unhealthy, (await new PgvectorHealthCheck(noServer).CheckHealthAsync(new HealthCheckContext())).Status);
    }

    [Fact]
    public async Task Another_organization_never_sees_our_vectors_and_document_filters_hold()
    {
        await using var table = await TestPgvector.CreateTableAsync(new PgvectorOptions { Schema = TestPgvector.NewSchema() });
        var random = new Random(11);
        var ours = Rows(random, "org_a", 100, 8);
        await table.InsertAsync("org_a", ours, indexFirst: true, CancellationToken.None);
        await table.InsertAsync("org_b", Rows(random, "org_b", 100, 8), indexFirst: true, CancellationToken.None);
        var query = ours[0].Vector;

        foreach (var exact in new[] { true, false })
        {
            var hits = await table.SearchAsync("org_b", Model, query, 50, null, exact, CancellationToken.None);
            Assert.Equal(50, hits.Count);
            Assert.All(hits, h => Assert.StartsWith("org_b/", h.ChunkId, StringComparison.Ordinal));
            Assert.Empty(await table.SearchAsync("org_c", Model, query, 10, null, exact, CancellationToken.None));
            Assert.Empty(await table.SearchAsync("org_a", "other-model", query, 10, null, exact, CancellationToken.None));
        }

        var filtered = await table.SearchAsync("org_a", Model, query, 50, ["org_a/doc_3"], exact: true, CancellationToken.None);
        Assert.Equal(ours.Count(r => r.DocumentId == "org_a/doc_3"), filtered.Count);
        Assert.All(filtered, h => Assert.Equal("org_a/doc_3", h.DocumentId));
        Assert.Empty(await table.SearchAsync("org_b", Model, query, 10, ["org_a/doc_3"], exact: true, CancellationToken.None));
    }

    [Fact]
    public async Task Deleted_rows_and_documents_are_no_longer_found()
    {
        await using var table = await TestPgvector.CreateTableAsync(new PgvectorOptions { Schema = TestPgvector.NewSchema() });
        var rows = Rows(new Random(3), "org_a", 50, 8);
        await table.InsertAsync("org_a", rows, indexFirst: true, CancellationToken.None);

        Assert.Equal(1, await table.DeleteAsync("org_a", [rows[0].Seq], CancellationToken.None));
        await table.DeleteDocumentAsync("org_a", "org_a/doc_1", CancellationToken.None);

        foreach (var exact in new[] { true, false })
        {
            var hits = await table.SearchAsync("org_a", Model, rows[0].Vector, 50, null, exact, CancellationToken.None);
            Assert.DoesNotContain(hits, h => h.ChunkId == rows[0].ChunkId || h.DocumentId == "org_a/doc_1");
            Assert.Equal(rows.Count(r => r.Seq != rows[0].Seq && r.DocumentId != "org_a/doc_1"), hits.Count);
        }

        Assert.Equal((rows[^1].Seq, rows.Count(r => r.Seq != rows[0].Seq && r.DocumentId != "org_a/doc_1")), await table.StatsAsync("org_a", CancellationToken.None));
    }

    [Fact]
    public async Task Index_search_filtered_by_organization_keeps_recall_at_10_above_0_9()
    {
        await using var table = await TestPgvector.CreateTableAsync(new PgvectorOptions { Schema = TestPgvector.NewSchema() });
        var random = new Random(42);
        const int dimensions = 32;
        var organizations = new[] { "org_a", "org_b", "org_c", "org_d" };
        var all = new Dictionary<string, List<VectorRow>>();
        foreach (var organization in organizations)
        {
            // Uneven sizes: the smallest organization is 5% of the table, the index walks past the others' rows.
            var rows = Rows(random, organization, organization == "org_d" ? 200 : 1_200, dimensions);
            all[organization] = rows;
            foreach (var batch in rows.Chunk(500))
            {
                await table.InsertAsync(organization, batch, indexFirst: false, CancellationToken.None);
            }
        }

        await table.EnsureIndexAsync(Model, dimensions, CancellationToken.None);

        foreach (var organization in new[] { "org_a", "org_d" })
        {
            var found = 0;
            const int queries = 30;
            for (var q = 0; q < queries; q++)
            {
                var query = Normalised(random, dimensions);
                var expected = Exact(all[organization], query, 10).Select(r => r.ChunkId).ToHashSet();
                var hits = await table.SearchAsync(organization, Model, query, 10, null, exact: false, CancellationToken.None);
                Assert.All(hits, h => Assert.StartsWith(organization + "/", h.ChunkId, StringComparison.Ordinal));
                found += hits.Count(h => expected.Contains(h.ChunkId));
            }

            var recall = found / (double)(queries * 10);
            output.WriteLine($"{organization}: recall@10 {recall:F3} over {all[organization].Count} of {all.Values.Sum(r => r.Count)} rows");
            Assert.True(recall >= 0.9, $"{organization}: recall@10 {recall:F3}");
        }
    }

    [Fact]
    public async Task A_server_without_pgvector_fails_start_with_a_clear_message()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres");
        await using var table = new PgvectorTable(database.ConnectionString!, Microsoft.Extensions.Options.Options.Create(new PgvectorOptions()));

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => table.EnsureSchemaAsync(CancellationToken.None));
        Assert.Contains("vector", error.Message, StringComparison.Ordinal);
        Assert.Contains("docs/deployment.md", error.Message, StringComparison.Ordinal);
    }

    private static List<VectorRow> Rows(Random random, string organization, int count, int dimensions) =>
        Enumerable.Range(1, count)
            .Select(i => new VectorRow(i, $"{organization}/chk_{i}", $"{organization}/doc_{i % 10}", Model, dimensions, Normalised(random, dimensions)))
            .ToList();

    private static List<VectorRow> Exact(IEnumerable<VectorRow> rows, float[] query, int topK) =>
        rows.OrderByDescending(r => Cosine(r.Vector, query)).ThenBy(r => r.ChunkId, StringComparer.Ordinal).Take(topK).ToList();

    private static double Cosine(float[] a, float[] b) => a.Zip(b, (x, y) => (double)x * y).Sum();

    private static float[] Normalised(Random random, int dimensions)
    {
        var vector = Enumerable.Range(0, dimensions).Select(_ => (float)((random.NextDouble() * 2) - 1)).ToArray();
        var norm = MathF.Sqrt(vector.Sum(v => v * v));
        return vector.Select(v => v / norm).ToArray();
    }
}
