using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Http;

/// <summary>The API conventions of API.md, applied to every endpoint by the pipeline.</summary>
public abstract class ConventionTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Text_with_a_nul_character_is_a_client_error_in_every_profile()
    {
        // PostgreSQL refuses U+0000 in text; SQLite stores it. Either way the answer is a 4xx problem.
        var login = await Client.PostAsJsonAsync("/v1/auth/login", new { email = "a\u0000b@example.test", password = "Whatever-Password-1" });
        Assert.InRange((int)login.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", login.Content.Headers.ContentType?.MediaType);

        var owner = await SignUpAsync();
        var match = await SendAsync(owner, HttpMethod.Post, "/v1/matches", new { cvDocumentId = "doc_\u0000", jdDocumentId = "doc_\u0000x" });
        Assert.InRange((int)match.StatusCode, 400, 499);
        Assert.Equal("application/problem+json", match.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Unknown_route_is_a_problem()
    {
        var problem = await AssertProblem(await Client.GetAsync("/v1/nothing-here"), HttpStatusCode.NotFound);
        Assert.Equal("/problems/not-found", problem.GetProperty("type").GetString());
    }

    [Fact]
    public async Task Wrong_method_is_a_problem() =>
        await AssertProblem(await Client.DeleteAsync("/v1/auth/login"), HttpStatusCode.MethodNotAllowed);

    [Fact]
    public async Task Unexpected_failure_is_a_500_problem_without_internals()
    {
        var response = await Client.GetAsync(ThrowingEndpointFilter.Path);
        var problem = await AssertProblem(response, HttpStatusCode.InternalServerError);
        Assert.DoesNotContain("hunter2", problem.GetRawText(), StringComparison.Ordinal);
        Assert.DoesNotContain("secret internal detail", problem.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Wrong_content_type_is_415()
    {
        var response = await Client.PostAsync("/v1/auth/login", new StringContent("email=a&password=b", Encoding.UTF8, "application/x-www-form-urlencoded"));
        await AssertProblem(response, HttpStatusCode.UnsupportedMediaType);
    }

    public static TheoryData<string> UnreadableBodies() => new()
    {
        "{\"email\": \"a@b.c\", \"password\": ",
        "not json at all",
        "{\"email\": 42, \"password\": [\"x\"]}",
        "{\"email\":\"a@b.c\",\"email\":\"c@d.e\",\"password\":\"Quiet-Harbour-7391\"}",
        new string('[', 5000) + new string(']', 5000),
        string.Concat(Enumerable.Repeat("{\"a\":", 100)) + "1" + new string('}', 100),
    };

    [Theory]
    [MemberData(nameof(UnreadableBodies))]
    public async Task Unreadable_json_is_a_400_problem_and_creates_nothing(string body)
    {
        var users = await CountUsersAsync();
        var response = await Client.PostAsync("/v1/auth/signup", new StringContent(body, Encoding.UTF8, "application/json"));
        await AssertProblem(response, HttpStatusCode.BadRequest);
        Assert.Equal(users, await CountUsersAsync());
    }

    [Fact]
    public async Task Invalid_utf8_is_a_400_problem()
    {
        var bytes = Encoding.UTF8.GetBytes("{\"email\":\"x@example.test\",\"password\":\"Quiet-Harbour-7391\",\"name\":\"A")
            .Concat(new byte[] { 0xC3, 0x28, 0xFF }).Concat(Encoding.UTF8.GetBytes("\"}")).ToArray();
        var content = new ByteArrayContent(bytes);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        await AssertProblem(await Client.PostAsync("/v1/auth/signup", content), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Oversized_body_is_413_and_creates_nothing(bool declaredLength)
    {
        var users = await CountUsersAsync();
        var email = $"big-{Guid.NewGuid():N}@example.test";
        var body = new { email, password = Session.Password1, name = new string('x', 2 * 1024 * 1024) };
        HttpContent content = declaredLength
            ? new ByteArrayContent(System.Text.Json.JsonSerializer.SerializeToUtf8Bytes(body)) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } }
            : JsonContent.Create(body);
        var response = await Client.PostAsync("/v1/auth/signup", content);
        await AssertProblem(response, HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(users, await CountUsersAsync());
    }

    [Fact]
    public async Task Field_longer_than_its_limit_is_a_validation_problem()
    {
        var response = await Client.PostAsJsonAsync("/v1/auth/signup", new { email = $"long-{Guid.NewGuid():N}@example.test", password = Session.Password1, name = new string('n', 101) });
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty("name", out _));
    }

    [Theory]
    [InlineData("Robert'); DROP TABLE users;--")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("{{7*7}} ${jndi:ldap://x} %s%n")]
    [InlineData("名前 😀 Ünïcödé")]
    public async Task Injection_strings_are_stored_and_returned_verbatim(string text)
    {
        var session = await SignUpAsync(organizationName: text);
        var me = await Json(await SendAsync(session, HttpMethod.Get, "/v1/me"));
        Assert.Equal(text, me.GetProperty("memberships")[0].GetProperty("organizationName").GetString());
        var key = await Json(await SendAsync(session, HttpMethod.Post, "/v1/api-keys", new { name = text }));
        Assert.Equal(text, key.GetProperty("name").GetString());
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).StatusCode);
    }

    [Fact]
    public async Task Control_characters_in_text_fields_are_refused()
    {
        var response = await Client.PostAsJsonAsync("/v1/auth/signup", new { email = $"c-{Guid.NewGuid():N}@example.test", password = Session.Password1, name = "bell\u0007\u0000" });
        await AssertProblem(response, HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Request_id_is_echoed_or_generated_and_hostile_ids_are_replaced()
    {
        using var echoed = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        echoed.Headers.Add("X-Request-Id", "client-req-123");
        Assert.Equal("client-req-123", (await Client.SendAsync(echoed)).Headers.GetValues("X-Request-Id").Single());

        var generated = (await Client.GetAsync("/health/live")).Headers.GetValues("X-Request-Id").Single();
        Assert.Matches("^[0-9a-f]{32}$", generated);

        using var hostile = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        hostile.Headers.TryAddWithoutValidation("X-Request-Id", "<script>" + new string('a', 300));
        var replaced = (await Client.SendAsync(hostile)).Headers.GetValues("X-Request-Id").Single();
        Assert.DoesNotContain("<", replaced, StringComparison.Ordinal);
        Assert.True(replaced.Length <= 128);
    }

    [Fact]
    public async Task Problem_responses_carry_the_request_id()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Add("X-Request-Id", "trace-me-42");
        var problem = await AssertProblem(await Client.SendAsync(request), HttpStatusCode.Unauthorized);
        Assert.Equal("trace-me-42", problem.GetProperty("requestId").GetString());
    }

    [Fact]
    public async Task Same_idempotency_key_and_body_replays_the_first_response()
    {
        var email = $"idem-{Guid.NewGuid():N}@example.test";
        var key = Guid.NewGuid().ToString();
        var first = await SignUpWithKey(key, email);
        var second = await SignUpWithKey(key, email);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal("true", second.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, second.Headers.Location);

        // Without the key the same request is a new attempt, and the account exists once.
        var third = await Client.PostAsJsonAsync("/v1/auth/signup", new { email, password = Session.Password1 });
        Assert.Equal(HttpStatusCode.Conflict, third.StatusCode);
    }

    [Fact]
    public async Task Stored_idempotent_responses_do_not_hold_secrets_in_clear()
    {
        var key = Guid.NewGuid().ToString();
        var response = await SignUpWithKey(key, $"secret-{Guid.NewGuid():N}@example.test");
        var refreshToken = (await Json(response)).GetProperty("refreshToken").GetString()!;

        using var scope = Factory.Services.CreateScope();
        var record = await scope.ServiceProvider.GetRequiredService<Cassiopeia.Core.Data.AppDbContext>().IdempotencyRecords.SingleAsync(r => r.Key == key);
        Assert.Equal(201, record.StatusCode);
        Assert.DoesNotContain(refreshToken, System.Text.Encoding.UTF8.GetString(record.Body!), StringComparison.Ordinal);
        Assert.DoesNotContain("refreshToken", System.Text.Encoding.UTF8.GetString(record.Body!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Same_idempotency_key_with_another_body_is_422()
    {
        var key = Guid.NewGuid().ToString();
        Assert.Equal(HttpStatusCode.Created, (await SignUpWithKey(key, $"one-{Guid.NewGuid():N}@example.test")).StatusCode);
        var email = $"two-{Guid.NewGuid():N}@example.test";
        await AssertProblem(await SignUpWithKey(key, email), HttpStatusCode.UnprocessableEntity, "idempotency-key-reused");
        Assert.Equal(HttpStatusCode.Unauthorized, (await Client.PostAsJsonAsync("/v1/auth/login", new { email, password = Session.Password1 })).StatusCode);
    }

    [Fact]
    public async Task Idempotency_keys_are_scoped_to_the_caller()
    {
        var alice = await SignUpAsync();
        var bob = await SignUpAsync();
        var key = Guid.NewGuid().ToString();
        using var a = alice.Request(HttpMethod.Post, "/v1/api-keys", new { name = "same" });
        a.Headers.Add("Idempotency-Key", key);
        using var b = bob.Request(HttpMethod.Post, "/v1/api-keys", new { name = "same" });
        b.Headers.Add("Idempotency-Key", key);

        var aliceKey = await Json(await Client.SendAsync(a));
        var bobResponse = await Client.SendAsync(b);
        Assert.Equal(HttpStatusCode.Created, bobResponse.StatusCode);
        Assert.False(bobResponse.Headers.Contains("Idempotent-Replayed"));
        Assert.NotEqual(aliceKey.GetProperty("key").GetString(), (await Json(bobResponse)).GetProperty("key").GetString());
    }

    [Fact]
    public async Task Invalid_idempotency_key_is_400()
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/signup") { Content = JsonContent.Create(new { email = "x@example.test", password = Session.Password1 }) };
        request.Headers.Add("Idempotency-Key", new string('k', 300));
        await AssertProblem(await Client.SendAsync(request), HttpStatusCode.BadRequest, "invalid-idempotency-key");
    }

    [Fact]
    public async Task Me_has_an_etag_and_if_none_match_gives_304()
    {
        var session = await SignUpAsync();
        var first = await SendAsync(session, HttpMethod.Get, "/v1/me");
        Assert.NotNull(first.Headers.ETag);

        using var conditional = session.Request(HttpMethod.Get, "/v1/me");
        conditional.Headers.IfNoneMatch.Add(first.Headers.ETag);
        var notModified = await Client.SendAsync(conditional);
        Assert.Equal(HttpStatusCode.NotModified, notModified.StatusCode);
        Assert.Empty(await notModified.Content.ReadAsByteArrayAsync());

        using var stale = session.Request(HttpMethod.Get, "/v1/me");
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"stale\""));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task Responses_are_compressed_when_asked()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/openapi/v1.json");
        request.Headers.AcceptEncoding.Add(new StringWithQualityHeaderValue("gzip"));
        var response = await Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("gzip", response.Content.Headers.ContentEncoding);
    }

    [Fact]
    public async Task Security_headers_are_on_every_response()
    {
        foreach (var path in new[] { "/health/live", "/v1/me", "/nowhere" })
        {
            var response = await Client.GetAsync(path);
            Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
            Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
            Assert.Contains("frame-ancestors 'none'", response.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);
            Assert.Equal("no-referrer", response.Headers.GetValues("Referrer-Policy").Single());
        }
    }

    [Fact]
    public async Task Cors_allows_only_configured_origins()
    {
        async Task<HttpResponseMessage> Preflight(string origin)
        {
            using var request = new HttpRequestMessage(HttpMethod.Options, "/v1/me");
            request.Headers.Add("Origin", origin);
            request.Headers.Add("Access-Control-Request-Method", "GET");
            request.Headers.Add("Access-Control-Request-Headers", "authorization");
            return await Client.SendAsync(request);
        }

        var allowed = await Preflight(ApiFactory.AllowedOrigin);
        Assert.Equal(ApiFactory.AllowedOrigin, allowed.Headers.GetValues("Access-Control-Allow-Origin").Single());
        var denied = await Preflight("https://evil.example");
        Assert.False(denied.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task OpenApi_document_and_reference_are_served()
    {
        var document = await Json(await Client.GetAsync("/openapi/v1.json"));
        var paths = document.GetProperty("paths");
        foreach (var path in new[] { "/v1/auth/signup", "/v1/auth/login", "/v1/auth/refresh", "/v1/auth/logout", "/v1/me", "/v1/api-keys", "/v1/organizations/{orgId}/members", "/v1/audit-events" })
        {
            Assert.True(paths.TryGetProperty(path, out _), path);
        }

        var docs = await Client.GetAsync("/docs/");
        Assert.Equal(HttpStatusCode.OK, docs.StatusCode);
        Assert.Equal("text/html", docs.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Health_and_metrics_are_served_without_auth()
    {
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync("/health/live")).StatusCode);
        var ready = await Json(await Client.GetAsync("/health/ready"));
        Assert.Equal("Healthy", ready.GetProperty("checks").GetProperty("database").GetString());

        await Client.GetAsync("/v1/me");
        var metrics = await Client.GetStringAsync("/metrics");
        Assert.Contains("http_server_request_duration_seconds_bucket", metrics, StringComparison.Ordinal);
        Assert.Contains("http_route=\"/v1/me\"", metrics, StringComparison.Ordinal);
        Assert.Contains("http_response_status_code=\"401\"", metrics, StringComparison.Ordinal);
    }

    private async Task<int> CountUsersAsync()
    {
        using var scope = Factory.Services.CreateScope();
        return await scope.ServiceProvider.GetRequiredService<Cassiopeia.Core.Data.AppDbContext>().Users.CountAsync();
    }

    private async Task<HttpResponseMessage> SignUpWithKey(string key, string email)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/auth/signup") { Content = JsonContent.Create(new { email, password = Session.Password1 }) };
        request.Headers.Add("Idempotency-Key", key);
        return await Client.SendAsync(request);
    }
}

public sealed class SqliteConventionTests(SqliteFixture fixture) : ConventionTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresConventionTests(PostgresFixture fixture) : ConventionTests(fixture), IClassFixture<PostgresFixture>;
