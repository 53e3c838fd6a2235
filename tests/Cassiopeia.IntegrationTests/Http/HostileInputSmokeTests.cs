using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.Proof;

namespace Cassiopeia.IntegrationTests.Http;

/// <summary>
/// The smoke sample of the hostile-input corpus (bench/Cassiopeia.Proof) through the real pipeline, with
/// ingestion workers so tenant B has ready documents, a match and an interview to aim at: no 5xx, no
/// hang, no cross-tenant success or foreign data in a body, tenant B's data unchanged, ready afterwards.
/// The full corpus runs outside the suite: bench/run-hostile.sh.
/// </summary>
public abstract class HostileInputSmokeTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Smoke_corpus_finds_no_failure()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        var options = new ProofOptions { Smoke = true, Parallelism = 2, SettleTimeout = TimeSpan.FromSeconds(30) };
        var report = await new ProofRunner(Client, options, TextWriter.Null).RunAsync(cancel.Token);

        Assert.True(report.Passed, report.ToMarkdown());
        Assert.True(report.Routes >= 40, $"only {report.Routes} operations discovered in /openapi/v1.json");
        foreach (var category in Categories.All)
        {
            Assert.Contains(report.Categories, c => c.Category == category && c.Requests > 0);
        }
    }
}

/// <summary>
/// Ingestion workers on, and the paid plans as generous as the free ones: the corpus completes tenant A's
/// local checkout (a hostile request may legally succeed), and a plan's real request rate would then turn
/// the rest of the run into 429s.
/// </summary>
public abstract class HostileInputFixture(string provider) : ApiFixture(provider)
{
    protected override Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Cassiopeia:Role"] = "all",
            ["Ingestion:Workers"] = "2",
            ["Ingestion:PollInterval"] = "00:00:00.200",
        };
        foreach (var plan in new[] { "pro", "team" })
        {
            settings[$"Billing:Plans:{plan}:RequestsPerMinute"] = "1000000";
            foreach (var metric in Cassiopeia.Core.Billing.Metrics.All)
            {
                settings[$"Billing:Plans:{plan}:Limits:{metric}"] = "1000000000";
            }
        }

        return Task.FromResult<IReadOnlyDictionary<string, string?>>(settings);
    }
}

public sealed class SqliteHostileInputFixture() : HostileInputFixture("Sqlite");

public sealed class PostgresHostileInputFixture() : HostileInputFixture("Postgres");

public sealed class SqliteHostileInputSmokeTests(SqliteHostileInputFixture fixture) : HostileInputSmokeTests(fixture), IClassFixture<SqliteHostileInputFixture>;

public sealed class PostgresHostileInputSmokeTests(PostgresHostileInputFixture fixture) : HostileInputSmokeTests(fixture), IClassFixture<PostgresHostileInputFixture>;
