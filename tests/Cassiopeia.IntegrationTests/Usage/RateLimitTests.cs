using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Usage;

/// <summary>Tight limits: 3 auth requests and 4 anonymous requests per IP, 5 requests per caller on the free plan, per minute.</summary>
public abstract class RateLimitFixture(string provider) : ApiFixture(provider)
{
    public const int AuthLimit = 3;
    public const int AnonymousLimit = 4;
    public const int PlanLimit = 5;

    protected override Task<IReadOnlyDictionary<string, string?>> SettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
    {
        ["RateLimiting:Auth:PermitLimit"] = "3",
        ["RateLimiting:Anonymous:PermitLimit"] = "4",
        ["Billing:Plans:free:RequestsPerMinute"] = "5",
    });
}

public sealed class SqliteRateLimitFixture() : RateLimitFixture("Sqlite");

public sealed class PostgresRateLimitFixture() : RateLimitFixture("Postgres");

/// <summary>Rate limits per API key, per user and per client IP; auth endpoints stricter. Each test acts from its own addresses.</summary>
public abstract class RateLimitTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Login_is_limited_per_address_with_retry_after_and_rate_limit_headers()
    {
        var ip = NewIp();
        var session = await SignUpFromAsync(ip);
        for (var i = 1; i < RateLimitFixture.AuthLimit; i++)
        {
            var ok = await LogInFromAsync(ip, session);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("3", Header(ok, "RateLimit-Limit"));
            Assert.Equal((RateLimitFixture.AuthLimit - 1 - i).ToString(System.Globalization.CultureInfo.InvariantCulture), Header(ok, "RateLimit-Remaining"));
        }

        var refused = await LogInFromAsync(ip, session);
        await AssertProblem(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        var retryAfter = int.Parse(Header(refused, "Retry-After")!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(retryAfter, 1, 60);
        Assert.Equal("3", Header(refused, "RateLimit-Limit"));
        Assert.Equal("0", Header(refused, "RateLimit-Remaining"));
        Assert.Equal(retryAfter.ToString(System.Globalization.CultureInfo.InvariantCulture), Header(refused, "RateLimit-Reset"));

        // Another address is not held back, and the limited user's token still works (callers count apart).
        Assert.Equal(HttpStatusCode.OK, (await LogInFromAsync(NewIp(), session)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendFromAsync(ip, session.AccessToken, "/v1/me")).StatusCode);
    }

    [Fact]
    public async Task Each_user_and_each_api_key_gets_the_plans_requests_per_minute()
    {
        var ip = NewIp();
        var first = await SignUpFromAsync(ip);
        var second = await SignUpFromAsync(NewIp());
        var key = await CreateApiKeyAsync(first); // one of the first user's five
        for (var i = 1; i < RateLimitFixture.PlanLimit; i++)
        {
            var ok = await SendFromAsync(ip, first.AccessToken, "/v1/me");
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
            Assert.Equal("5", Header(ok, "RateLimit-Limit"));
        }

        var refused = await SendFromAsync(ip, first.AccessToken, "/v1/me");
        await AssertProblem(refused, HttpStatusCode.TooManyRequests, "rate-limited");
        Assert.NotNull(Header(refused, "Retry-After"));

        // Same address, other callers: their own counts.
        Assert.Equal(HttpStatusCode.OK, (await SendFromAsync(ip, second.AccessToken, "/v1/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendFromAsync(ip, key, "/v1/documents")).StatusCode);

        // A better plan raises the limit at once.
        Factory.Settings.Set(new Dictionary<string, string?> { ["Billing:Plans:free:RequestsPerMinute"] = "50" });
        try
        {
            var raised = await SendFromAsync(ip, first.AccessToken, "/v1/me");
            Assert.Equal(HttpStatusCode.OK, raised.StatusCode);
            Assert.Equal("50", Header(raised, "RateLimit-Limit"));
        }
        finally
        {
            Factory.Settings.Clear();
        }
    }

    [Fact]
    public async Task Requests_without_a_caller_are_limited_per_address_and_health_is_never_limited()
    {
        var ip = NewIp();
        for (var i = 0; i < RateLimitFixture.AnonymousLimit; i++)
        {
            await AssertProblem(await SendFromAsync(ip, null, "/v1/documents"), HttpStatusCode.Unauthorized);
        }

        await AssertProblem(await SendFromAsync(ip, null, "/v1/documents"), HttpStatusCode.TooManyRequests, "rate-limited");
        await AssertProblem(await SendFromAsync(NewIp(), null, "/v1/documents"), HttpStatusCode.Unauthorized);
        for (var i = 0; i < 10; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await SendFromAsync(ip, null, "/health/live")).StatusCode);
        }
    }

    private static string NewIp() => $"10.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}.{Random.Shared.Next(1, 255)}";

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) ? values.Single() : null;

    private async Task<Session> SignUpFromAsync(string ip)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/signup")
        {
            Content = JsonContent.Create(new { email = $"user-{Guid.NewGuid():N}@example.test", password = Session.Password1, name = "Test User" }),
        };
        request.Headers.Add("X-Forwarded-For", ip);
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        return new Session(
            body.GetProperty("user").GetProperty("email").GetString()!, Session.Password1, body.GetProperty("user").GetProperty("id").GetString()!,
            body.GetProperty("organization").GetProperty("id").GetString()!, body.GetProperty("accessToken").GetString()!, body.GetProperty("refreshToken").GetString()!);
    }

    private async Task<HttpResponseMessage> LogInFromAsync(string ip, Session session)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/login") { Content = JsonContent.Create(new { email = session.Email, password = session.Password }) };
        request.Headers.Add("X-Forwarded-For", ip);
        return await Client.SendAsync(request);
    }

    private async Task<HttpResponseMessage> SendFromAsync(string ip, string? token, string path)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Add("X-Forwarded-For", ip);
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return await Client.SendAsync(request);
    }
}

public sealed class SqliteRateLimitTests(SqliteRateLimitFixture fixture) : RateLimitTests(fixture), IClassFixture<SqliteRateLimitFixture>;

public sealed class PostgresRateLimitTests(PostgresRateLimitFixture fixture) : RateLimitTests(fixture), IClassFixture<PostgresRateLimitFixture>;
