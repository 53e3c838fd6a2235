using System.Net;
using System.Net.Http.Json;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Audit;

public abstract class AuditTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Security_events_are_recorded_newest_first_and_paginate()
    {
        var owner = await SignUpAsync();
        var bob = await SignUpAsync();
        await Client.PostAsJsonAsync("/v1/auth/login", new { email = owner.Email, password = "Wrong-Password-123" });
        await Client.PostAsJsonAsync("/v1/auth/login", new { email = owner.Email, password = owner.Password });
        await AddMemberAsync(owner, bob, "member");
        await SendAsync(owner, HttpMethod.Patch, $"/v1/organizations/{owner.OrganizationId}/members/{bob.UserId}", new { role = "admin" });
        await CreateApiKeyAsync(owner);

        var actions = new List<string>();
        string? cursor = null;
        do
        {
            var page = await Json(await SendAsync(owner, HttpMethod.Get, "/v1/audit-events?limit=2" + (cursor is null ? "" : $"&cursor={cursor}")));
            actions.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("action").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(["api_key.created", "member.role_changed", "member.added", "login.succeeded", "login.failed", "user.signed_up"], actions);
    }

    [Fact]
    public async Task Only_admins_read_the_audit_log_and_only_of_their_organization()
    {
        var owner = await SignUpAsync();
        var member = await SignUpAsync();
        await AddMemberAsync(owner, member, "member");

        await AssertProblem(await SendAsync(member, HttpMethod.Get, "/v1/audit-events", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);

        // The member reads their own organization's log: their signup only, none of the owner's events.
        var own = await Json(await SendAsync(member, HttpMethod.Get, "/v1/audit-events"));
        var single = Assert.Single(own.GetProperty("items").EnumerateArray());
        Assert.Equal("user.signed_up", single.GetProperty("action").GetString());
        Assert.Equal(member.UserId, single.GetProperty("actorUserId").GetString());
    }

    [Fact]
    public async Task A_forged_cursor_is_rejected()
    {
        var owner = await SignUpAsync();
        var forged = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("c1:not-a-number");
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, $"/v1/audit-events?cursor={forged}"), HttpStatusCode.BadRequest, "validation");
    }
}

public sealed class SqliteAuditTests(SqliteFixture fixture) : AuditTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresAuditTests(PostgresFixture fixture) : AuditTests(fixture), IClassFixture<PostgresFixture>;
