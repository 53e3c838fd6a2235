using System.Net;
using System.Net.Http.Json;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Accounts;

public abstract class AuthTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Signup_returns_tokens_user_and_owned_organization()
    {
        var email = $"New.User-{Guid.NewGuid():N}@Example.test";
        var response = await Client.PostAsJsonAsync("/v1/auth/signup", new { email, password = Session.Password1, name = "Ada", organizationName = "Ada Labs" });

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(email, body.GetProperty("user").GetProperty("email").GetString());
        Assert.StartsWith("usr_", body.GetProperty("user").GetProperty("id").GetString(), StringComparison.Ordinal);
        Assert.Equal("Ada Labs", body.GetProperty("organization").GetProperty("name").GetString());
        Assert.Equal("owner", body.GetProperty("organization").GetProperty("role").GetString());
        Assert.Equal(900, body.GetProperty("expiresIn").GetInt32());
        Assert.Equal(3, body.GetProperty("accessToken").GetString()!.Split('.').Length);
        Assert.False(body.GetProperty("user").TryGetProperty("passwordHash", out _));
    }

    [Fact]
    public async Task Signup_with_an_existing_email_in_other_case_is_a_conflict()
    {
        var first = await SignUpAsync();
        var response = await Client.PostAsJsonAsync("/v1/auth/signup", new { email = first.Email.ToUpperInvariant(), password = Session.Password1 });
        await AssertProblem(response, HttpStatusCode.Conflict, "email-taken");
    }

    [Fact]
    public async Task Concurrent_signups_with_the_same_email_create_exactly_one_account()
    {
        var email = $"race-{Guid.NewGuid():N}@example.test";
        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ =>
            Client.PostAsJsonAsync("/v1/auth/signup", new { email, password = Session.Password1 })));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var login = await Client.PostAsJsonAsync("/v1/auth/login", new { email, password = Session.Password1 });
        Assert.Equal(HttpStatusCode.OK, login.StatusCode);
    }

    [Theory]
    [InlineData("not-an-email", "Quiet-Harbour-7391", "email")]
    [InlineData("Ann <ann@example.test>", "Quiet-Harbour-7391", "email")]
    [InlineData("ok@example.test", "short", "password")]
    [InlineData("ok@example.test", "password1234", "password")]
    [InlineData("ok@example.test", "aaaaaaaaaaaaaaaa", "password")]
    public async Task Signup_with_invalid_fields_is_a_validation_problem_naming_the_field(string email, string password, string field)
    {
        var response = await Client.PostAsJsonAsync("/v1/auth/signup", new { email, password });
        var problem = await AssertProblem(response, HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Login_returns_a_new_session_for_correct_credentials()
    {
        var session = await SignUpAsync();
        var response = await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(session.UserId, body.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(session.OrganizationId, body.GetProperty("organization").GetProperty("id").GetString());
        Assert.NotEqual(session.RefreshToken, body.GetProperty("refreshToken").GetString());
    }

    [Fact]
    public async Task Wrong_password_and_unknown_email_get_the_same_answer()
    {
        var session = await SignUpAsync();
        var wrong = await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "Wrong-Password-123" });
        var unknown = await Client.PostAsJsonAsync("/v1/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@example.test", password = "Wrong-Password-123" });

        var a = await AssertProblem(wrong, HttpStatusCode.Unauthorized, "invalid-credentials");
        var b = await AssertProblem(unknown, HttpStatusCode.Unauthorized, "invalid-credentials");
        Assert.Equal(a.GetProperty("detail").GetString(), b.GetProperty("detail").GetString());
    }

    [Fact]
    public async Task Five_failures_lock_the_account_even_against_the_right_password()
    {
        var session = await SignUpAsync();
        for (var i = 0; i < 5; i++)
        {
            var failed = await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "Wrong-Password-123" });
            Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        }

        var locked = await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password });
        await AssertProblem(locked, HttpStatusCode.Locked, "locked-out");
        var retryAfter = locked.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value.TotalMinutes, 14, 15.1);
    }

    [Fact]
    public async Task Unknown_emails_lock_out_exactly_like_real_ones()
    {
        var email = $"ghost-{Guid.NewGuid():N}@example.test";
        for (var i = 0; i < 5; i++)
        {
            await Client.PostAsJsonAsync("/v1/auth/login", new { email, password = "Wrong-Password-123" });
        }

        var locked = await Client.PostAsJsonAsync("/v1/auth/login", new { email, password = "Wrong-Password-123" });
        await AssertProblem(locked, HttpStatusCode.Locked, "locked-out");
    }

    [Fact]
    public async Task Concurrent_failures_cannot_outrun_the_lockout()
    {
        var session = await SignUpAsync();
        await Task.WhenAll(Enumerable.Range(0, 12).Select(_ =>
            Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "Wrong-Password-123" })));

        var locked = await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password });
        Assert.Equal(HttpStatusCode.Locked, locked.StatusCode);
    }

    [Fact]
    public async Task Refresh_rotates_and_reusing_a_rotated_token_revokes_the_family()
    {
        var session = await SignUpAsync();
        var first = await Client.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = session.RefreshToken });
        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        var next = (await Json(first)).GetProperty("refreshToken").GetString()!;
        Assert.NotEqual(session.RefreshToken, next);

        var reuse = await Client.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = session.RefreshToken });
        await AssertProblem(reuse, HttpStatusCode.Unauthorized, "invalid-refresh-token");

        // The legitimate newest token died with its family.
        var afterReuse = await Client.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = next });
        Assert.Equal(HttpStatusCode.Unauthorized, afterReuse.StatusCode);

        var audit = await Json(await SendAsync(session, HttpMethod.Get, "/v1/audit-events?limit=100"));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "refresh.reused");
    }

    [Fact]
    public async Task Concurrent_refreshes_of_one_token_let_exactly_one_through()
    {
        var session = await SignUpAsync();
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ =>
            Client.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = session.RefreshToken })));
        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.OK);
    }

    [Fact]
    public async Task Logout_revokes_the_refresh_token_and_is_idempotent()
    {
        var session = await SignUpAsync();
        var logout = await Client.PostAsJsonAsync("/v1/auth/logout", new { refreshToken = session.RefreshToken });
        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Client.PostAsJsonAsync("/v1/auth/logout", new { refreshToken = session.RefreshToken })).StatusCode);

        var refresh = await Client.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = session.RefreshToken });
        Assert.Equal(HttpStatusCode.Unauthorized, refresh.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("rt_not-a-real-token")]
    [InlineData("' OR 1=1 --")]
    public async Task Refresh_with_a_bad_token_is_unauthorized(string token)
    {
        var response = await Client.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = token });
        await AssertProblem(response, HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Me_shows_the_user_memberships_and_acting_organization()
    {
        var session = await SignUpAsync();
        var response = await SendAsync(session, HttpMethod.Get, "/v1/me");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await Json(response);
        Assert.Equal(session.UserId, body.GetProperty("user").GetProperty("id").GetString());
        var membership = Assert.Single(body.GetProperty("memberships").EnumerateArray());
        Assert.Equal(session.OrganizationId, membership.GetProperty("organizationId").GetString());
        Assert.Equal("owner", membership.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Secrets_never_reach_the_log()
    {
        var session = await SignUpAsync();
        var login = await Json(await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password }));
        await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "Wrong-Secret-Value-99" });
        var key = await CreateApiKeyAsync(session);
        await SendWithKeyAsync(key, HttpMethod.Get, "/v1/me");
        await SendWithKeyAsync(key + "x", HttpMethod.Get, "/v1/me");

        var secrets = new[] { session.Password, "Wrong-Secret-Value-99", session.AccessToken, session.RefreshToken, login.GetProperty("refreshToken").GetString()!, key };
        Assert.NotEmpty(Factory.Logs.Lines);
        foreach (var line in Factory.Logs.Lines)
        {
            foreach (var secret in secrets)
            {
                Assert.DoesNotContain(secret, line, StringComparison.Ordinal);
            }
        }
    }
}

public sealed class SqliteAuthTests(SqliteFixture fixture) : AuthTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresAuthTests(PostgresFixture fixture) : AuthTests(fixture), IClassFixture<PostgresFixture>;
