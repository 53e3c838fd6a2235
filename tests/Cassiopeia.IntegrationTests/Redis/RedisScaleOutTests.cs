using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Redis;

/// <summary>
/// Two application instances (two nodes) on one database and one Redis, each with its own data
/// directory for the key ring test; a third instance whose Redis is down. Free plan: 5 requests per minute.
/// </summary>
public abstract class RedisFixture(string provider) : IAsyncLifetime
{
    public const int PlanLimit = 5;

    private readonly List<TestDatabase> _databases = [];
    private readonly List<ApiFactory> _factories = [];

    public ApiFactory NodeA { get; private set; } = null!;

    public ApiFactory NodeB { get; private set; } = null!;

    /// <summary>Another node on its own database and data directory, same Redis and key prefix: shares only what Redis holds.</summary>
    public ApiFactory Elsewhere { get; private set; } = null!;

    /// <summary>Redis configured but unreachable.</summary>
    public ApiFactory Down { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var prefix = TestRedis.NewPrefix();
        var settings = new Dictionary<string, string?>(TestRedis.Settings(prefix)) { ["Billing:Plans:free:RequestsPerMinute"] = PlanLimit.ToString(System.Globalization.CultureInfo.InvariantCulture) };
        var shared = await NewDatabaseAsync();
        NodeA = Start(shared, settings);
        NodeB = Start(shared, settings);
        Elsewhere = Start(await NewDatabaseAsync(), settings);
        Down = Start(await NewDatabaseAsync(), new Dictionary<string, string?>(settings) { ["Redis:ConnectionString"] = TestRedis.DeadEndpoint() });
    }

    public async Task DisposeAsync()
    {
        foreach (var factory in _factories)
        {
            await factory.DisposeAsync();
        }

        foreach (var database in _databases)
        {
            await database.DisposeAsync();
        }
    }

    private async Task<TestDatabase> NewDatabaseAsync()
    {
        var database = await TestDatabase.CreateAsync(provider);
        _databases.Add(database);
        return database;
    }

    private ApiFactory Start(TestDatabase database, IReadOnlyDictionary<string, string?> settings)
    {
        var factory = new ApiFactory(database, settings);
        _factories.Add(factory);
        factory.CreateClient().Dispose();
        return factory;
    }
}

public sealed class SqliteRedisFixture() : RedisFixture("Sqlite");

public sealed class PostgresRedisFixture() : RedisFixture("Postgres");

/// <summary>Redis shares rate limits and the data-protection key ring across nodes; Redis down degrades, never fails.</summary>
public abstract class RedisScaleOutTests(RedisFixture fixture)
{
    [Fact]
    public async Task A_rate_limit_is_shared_across_nodes()
    {
        using var a = fixture.NodeA.CreateClient();
        using var b = fixture.NodeB.CreateClient();
        var session = await Session.SignUpAsync(a);
        for (var i = 0; i < 3; i++)
        {
            var ok = await a.SendAsync(session.Request(HttpMethod.Get, "/v1/me"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((RedisFixture.PlanLimit - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(ok, "RateLimit-Remaining"));
        }

        for (var i = 3; i < RedisFixture.PlanLimit; i++)
        {
            var ok = await b.SendAsync(session.Request(HttpMethod.Get, "/v1/me"));
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal((RedisFixture.PlanLimit - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(ok, "RateLimit-Remaining"));
        }

        var refused = await b.SendAsync(session.Request(HttpMethod.Get, "/v1/me"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var retryAfter = int.Parse(Header(refused, "Retry-After")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await a.SendAsync(session.Request(HttpMethod.Get, "/v1/me"))).StatusCode);

        // Another user on the same nodes counts apart.
        var other = await Session.SignUpAsync(b);
        Assert.Equal(HttpStatusCode.OK, (await a.SendAsync(other.Request(HttpMethod.Get, "/v1/me"))).StatusCode);
    }

    [Fact]
    public void Data_protected_on_one_node_is_readable_on_another()
    {
        var secret = $"idempotency record {Guid.NewGuid():N}";
        var protectedOnA = fixture.NodeA.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Protect(secret);

        Assert.Equal(secret, fixture.Elsewhere.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("test").Unprotect(protectedOnA));
        Assert.Throws<System.Security.Cryptography.CryptographicException>(() =>
            fixture.Elsewhere.Services.GetRequiredService<IDataProtectionProvider>().CreateProtector("other purpose").Unprotect(protectedOnA));
    }

    [Fact]
    public async Task Redis_down_serves_with_limits_per_process_and_readiness_degraded()
    {
        using var client = fixture.Down.CreateClient();
        var session = await Session.SignUpAsync(client);
        for (var i = 0; i < RedisFixture.PlanLimit; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(session.Request(HttpMethod.Get, "/v1/me"))).StatusCode);
        }

        var refused = await client.SendAsync(session.Request(HttpMethod.Get, "/v1/me"));
        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.NotNull(Header(refused, "Retry-After"));

        var ready = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        var body = await ready.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Degraded", body.GetProperty("status").GetString());
        Assert.Equal("Degraded", body.GetProperty("checks").GetProperty("redis").GetString());
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("database").GetString());
        Assert.Single(fixture.Down.Logs.Lines, l => l.Contains("Redis is unreachable", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_reports_a_reachable_redis_healthy()
    {
        using var client = fixture.NodeA.CreateClient();
        var body = await (await client.GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Healthy", body.GetProperty("checks").GetProperty("redis").GetString());
        Assert.Equal("Healthy", body.GetProperty("status").GetString());
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;
}

public sealed class SqliteRedisScaleOutTests(SqliteRedisFixture fixture) : RedisScaleOutTests(fixture), IClassFixture<SqliteRedisFixture>;

public sealed class PostgresRedisScaleOutTests(PostgresRedisFixture fixture) : RedisScaleOutTests(fixture), IClassFixture<PostgresRedisFixture>;
