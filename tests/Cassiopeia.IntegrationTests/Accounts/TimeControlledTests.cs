using System.Net;
using System.Net.Http.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Accounts;

/// <summary>Behaviour over time, with the application's clock moved by the test (each test owns its fixture's clock).</summary>
public abstract class TimeControlledTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Lockout_lasts_fifteen_minutes_then_the_right_password_works_again()
    {
        var session = await SignUpAsync();
        for (var i = 0; i < 5; i++)
        {
            await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "Wrong-Password-123" });
        }

        Factory.Time.Advance(TimeSpan.FromMinutes(14));
        Assert.Equal(HttpStatusCode.Locked, (await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).StatusCode);

        Factory.Time.Advance(TimeSpan.FromMinutes(2));
        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).StatusCode);

        // A success resets the count: four new failures do not lock.
        for (var i = 0; i < 4; i++)
        {
            await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "Wrong-Password-123" });
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).StatusCode);
    }

    [Fact]
    public async Task Failures_spread_beyond_the_window_do_not_lock()
    {
        var session = await SignUpAsync();
        for (var i = 0; i < 6; i++)
        {
            await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = "Wrong-Password-123" });
            Factory.Time.Advance(TimeSpan.FromMinutes(4));
        }

        Assert.Equal(HttpStatusCode.OK, (await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password })).StatusCode);
    }

    [Fact]
    public async Task Download_urls_expire()
    {
        var session = await SignUpAsync();
        using var upload = session.Request(HttpMethod.Post, "/v1/documents");
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes("expiring " + Guid.NewGuid()));
        upload.Content = new MultipartFormDataContent { { new StringContent("other"), "kind" }, { file, "file", "e.txt" } };
        var id = (await Json(await Client.SendAsync(upload))).GetProperty("id").GetString();
        var location = (await SendAsync(session, HttpMethod.Get, $"/v1/documents/{id}/content")).Headers.Location;
        Assert.Equal(HttpStatusCode.OK, (await Client.GetAsync(location)).StatusCode);

        Factory.Time.Advance(TimeSpan.FromMinutes(6));
        await AssertProblem(await Client.GetAsync(location), HttpStatusCode.Forbidden, "invalid-signature");
    }

    [Fact]
    public async Task Upload_urls_expire()
    {
        var session = await SignUpAsync();
        var announced = await Json(await SendAsync(session, HttpMethod.Post, "/v1/documents/upload-url", new { fileName = "late.txt", size = 4, kind = "cv" }));
        var url = announced.GetProperty("uploadUrl").GetString();

        var id = announced.GetProperty("documentId").GetString();

        Factory.Time.Advance(TimeSpan.FromMinutes(16));
        await AssertProblem(await Client.PutAsync(url, new ByteArrayContent("late"u8.ToArray())), HttpStatusCode.Forbidden, "invalid-signature");

        // The abandoned announcement is swept: completing it now finds nothing.
        Assert.True(await Factory.Services.GetRequiredService<Cassiopeia.Api.Features.Documents.UploadJanitor>().SweepAsync(default) >= 1);
        var login = await Json(await Client.PostAsJsonAsync("/v1/auth/login", new { email = session.Email, password = session.Password }));
        var fresh = session with { AccessToken = login.GetProperty("accessToken").GetString()! };
        await AssertProblem(await SendAsync(fresh, HttpMethod.Post, $"/v1/documents/{id}/complete"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Partial_writes_left_by_a_crash_are_swept_once_idle_and_running_ones_are_kept()
    {
        var folder = Path.Combine(Factory.Database.DataDirectory, "blobs", "org_crashed");
        Directory.CreateDirectory(folder);
        var abandoned = Path.Combine(folder, "doc_a.0123456789ab.tmp");
        var running = Path.Combine(folder, "doc_b.0123456789ab.tmp");
        var stored = Path.Combine(folder, "doc_c");
        foreach (var path in new[] { abandoned, running, stored })
        {
            await File.WriteAllBytesAsync(path, [1, 2, 3]);
        }

        var now = Factory.Time.GetUtcNow().UtcDateTime;
        File.SetLastWriteTimeUtc(running, now - TimeSpan.FromMinutes(5));
        File.SetLastWriteTimeUtc(abandoned, now - TimeSpan.FromHours(2));
        File.SetLastWriteTimeUtc(stored, now - TimeSpan.FromDays(30));

        // The janitor's own timer may get there first on a busy machine: the outcome is what counts.
        await Factory.Services.GetRequiredService<Cassiopeia.Api.Features.Documents.UploadJanitor>().SweepAsync(default);
        Assert.False(File.Exists(abandoned));
        Assert.True(File.Exists(running));
        Assert.True(File.Exists(stored));
    }

    [Fact]
    public async Task Expired_api_key_and_refresh_token_are_refused()
    {
        var session = await SignUpAsync();
        var created = await Json(await SendAsync(session, HttpMethod.Post, "/v1/api-keys", new { name = "short", expiresAt = Factory.Time.GetUtcNow().AddHours(1) }));
        var key = created.GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(key, HttpMethod.Get, "/v1/me")).StatusCode);

        Factory.Time.Advance(TimeSpan.FromHours(2));
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, "/v1/me"), HttpStatusCode.Unauthorized);

        Factory.Time.Advance(TimeSpan.FromDays(31));
        await AssertProblem(await Client.PostAsJsonAsync("/v1/auth/refresh", new { refreshToken = session.RefreshToken }), HttpStatusCode.Unauthorized);
    }
}

public sealed class SqliteTimeControlledTests(SqliteTimeFixture fixture) : TimeControlledTests(fixture), IClassFixture<SqliteTimeFixture>;

public sealed class PostgresTimeControlledTests(PostgresTimeFixture fixture) : TimeControlledTests(fixture), IClassFixture<PostgresTimeFixture>;

public sealed class SqliteTimeFixture() : ApiFixture("Sqlite");

public sealed class PostgresTimeFixture() : ApiFixture("Postgres", localStorage: true);
