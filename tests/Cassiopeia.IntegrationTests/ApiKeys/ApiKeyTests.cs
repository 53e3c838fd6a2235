using System.Net;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.ApiKeys;

public abstract class ApiKeyTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Created_key_is_shown_once_and_authenticates_as_its_creator()
    {
        var session = await SignUpAsync();
        var created = await SendAsync(session, HttpMethod.Post, "/v1/api-keys", new { name = "ci", scopes = new[] { "documents:read" } });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var body = await Json(created);
        var key = body.GetProperty("key").GetString()!;
        var id = body.GetProperty("id").GetString()!;
        Assert.StartsWith("csk_" + body.GetProperty("prefix").GetString() + "_", key, StringComparison.Ordinal);

        var list = await Json(await SendAsync(session, HttpMethod.Get, "/v1/api-keys"));
        var listed = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal(id, listed.GetProperty("id").GetString());
        Assert.False(listed.TryGetProperty("key", out _));
        Assert.DoesNotContain(key, list.GetRawText(), StringComparison.Ordinal);

        var me = await SendWithKeyAsync(key, HttpMethod.Get, "/v1/me");
        Assert.Equal(HttpStatusCode.OK, me.StatusCode);
        var meBody = await Json(me);
        Assert.Equal(session.UserId, meBody.GetProperty("user").GetProperty("id").GetString());
        Assert.Equal(id, meBody.GetProperty("apiKeyId").GetString());
        Assert.Equal(session.OrganizationId, meBody.GetProperty("organizationId").GetString());
    }

    [Fact]
    public async Task Revoked_key_is_refused_at_once_and_revoking_twice_is_not_found()
    {
        var session = await SignUpAsync();
        var key = await CreateApiKeyAsync(session);
        var id = (await Json(await SendAsync(session, HttpMethod.Get, "/v1/api-keys"))).GetProperty("items")[0].GetProperty("id").GetString();
        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(key, HttpMethod.Get, "/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(session, HttpMethod.Delete, $"/v1/api-keys/{id}")).StatusCode);
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, "/v1/me"), HttpStatusCode.Unauthorized);
        await AssertProblem(await SendAsync(session, HttpMethod.Delete, $"/v1/api-keys/{id}"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("csk_")]
    [InlineData("csk_nope_nope")]
    [InlineData("csk_' OR '1'='1_x")]
    public async Task Made_up_keys_are_refused(string key) =>
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, "/v1/me"), HttpStatusCode.Unauthorized);

    [Fact]
    public async Task Key_with_a_changed_secret_is_refused()
    {
        var session = await SignUpAsync();
        var key = await CreateApiKeyAsync(session);
        var tampered = key[..^1] + (key[^1] == 'A' ? 'B' : 'A');
        await AssertProblem(await SendWithKeyAsync(tampered, HttpMethod.Get, "/v1/me"), HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Key_without_the_admin_scope_cannot_manage_keys_or_members()
    {
        var session = await SignUpAsync();
        var key = await CreateApiKeyAsync(session, "documents:read", "documents:write", "ai");

        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Post, "/v1/api-keys", new { name = "minted" }), HttpStatusCode.Forbidden);
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, "/v1/api-keys"), HttpStatusCode.Forbidden);
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, $"/v1/organizations/{session.OrganizationId}/members"), HttpStatusCode.Forbidden);
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, "/v1/audit-events"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Admin_scoped_key_of_an_owner_can_manage_keys()
    {
        var session = await SignUpAsync();
        var key = await CreateApiKeyAsync(session, "admin");
        Assert.Equal(HttpStatusCode.Created, (await SendWithKeyAsync(key, HttpMethod.Post, "/v1/api-keys", new { name = "second" })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(key, HttpMethod.Get, "/v1/audit-events")).StatusCode);
    }

    [Fact]
    public async Task Members_cannot_create_admin_or_billing_keys_and_viewers_cannot_create_keys()
    {
        var owner = await SignUpAsync();
        var member = await SignUpAsync();
        var viewer = await SignUpAsync();
        await AddMemberAsync(owner, member, "member");
        await AddMemberAsync(owner, viewer, "viewer");

        await AssertProblem(await SendAsync(member, HttpMethod.Post, "/v1/api-keys", new { name = "x", scopes = new[] { "admin" } }, owner.OrganizationId), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(member, HttpMethod.Post, "/v1/api-keys", new { name = "x", scopes = new[] { "billing" } }, owner.OrganizationId), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(member, HttpMethod.Post, "/v1/api-keys", new { name = "x" }, owner.OrganizationId)).StatusCode);
        await AssertProblem(await SendAsync(viewer, HttpMethod.Post, "/v1/api-keys", new { name = "x" }, owner.OrganizationId), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Members_see_only_their_own_keys_and_admins_see_all()
    {
        var owner = await SignUpAsync();
        var member = await SignUpAsync();
        await AddMemberAsync(owner, member, "member");
        await CreateApiKeyAsync(owner);
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(member, HttpMethod.Post, "/v1/api-keys", new { name = "mine" }, owner.OrganizationId)).StatusCode);

        var memberList = await Json(await SendAsync(member, HttpMethod.Get, "/v1/api-keys", organizationId: owner.OrganizationId));
        var ownerList = await Json(await SendAsync(owner, HttpMethod.Get, "/v1/api-keys"));
        Assert.Single(memberList.GetProperty("items").EnumerateArray());
        Assert.Equal(2, ownerList.GetProperty("items").GetArrayLength());

        var ownersKeyId = ownerList.GetProperty("items").EnumerateArray().First(k => k.GetProperty("userId").GetString() == owner.UserId).GetProperty("id").GetString();
        await AssertProblem(await SendAsync(member, HttpMethod.Delete, $"/v1/api-keys/{ownersKeyId}", organizationId: owner.OrganizationId), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_organizations_key_is_not_found_on_every_key_route()
    {
        var alice = await SignUpAsync();
        var mallory = await SignUpAsync();
        await CreateApiKeyAsync(alice);
        var aliceKeyId = (await Json(await SendAsync(alice, HttpMethod.Get, "/v1/api-keys"))).GetProperty("items")[0].GetProperty("id").GetString();

        await AssertProblem(await SendAsync(mallory, HttpMethod.Get, $"/v1/api-keys/{aliceKeyId}"), HttpStatusCode.NotFound);
        await AssertProblem(await SendAsync(mallory, HttpMethod.Delete, $"/v1/api-keys/{aliceKeyId}"), HttpStatusCode.NotFound);
        var malloryList = await Json(await SendAsync(mallory, HttpMethod.Get, "/v1/api-keys"));
        Assert.Equal(0, malloryList.GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(alice, HttpMethod.Get, $"/v1/api-keys/{aliceKeyId}")).StatusCode);
    }

    [Fact]
    public async Task Key_of_one_organization_cannot_act_for_another()
    {
        var owner = await SignUpAsync();
        var other = await SignUpAsync();
        await AddMemberAsync(other, owner, "admin");
        var key = await CreateApiKeyAsync(owner, "admin");

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Authorization = new("Bearer", key);
        request.Headers.Add("X-Organization-Id", other.OrganizationId);
        await AssertProblem(await Client.SendAsync(request), HttpStatusCode.Forbidden);
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, $"/v1/organizations/{other.OrganizationId}/members"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Key_naming_an_organization_its_owner_never_joined_is_not_found_in_a_route_and_forbidden_in_the_header()
    {
        var owner = await SignUpAsync();
        var stranger = await SignUpAsync();
        var key = await CreateApiKeyAsync(owner, "admin");

        // A route naming another organization answers as if it did not exist, as it does for tokens;
        // "the key's owner has left" would be both the wrong status and a false statement.
        var problem = await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Get, $"/v1/organizations/{stranger.OrganizationId}/members"), HttpStatusCode.NotFound);
        Assert.DoesNotContain("no longer a member", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertProblem(await SendWithKeyAsync(key, HttpMethod.Patch, $"/v1/organizations/{stranger.OrganizationId}/members/{stranger.UserId}", new { role = "viewer" }), HttpStatusCode.NotFound);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Authorization = new("Bearer", key);
        request.Headers.Add("X-Organization-Id", stranger.OrganizationId);
        problem = await AssertProblem(await Client.SendAsync(request), HttpStatusCode.Forbidden);
        Assert.DoesNotContain("no longer a member", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(key, HttpMethod.Get, $"/v1/organizations/{owner.OrganizationId}/members")).StatusCode);
    }

    [Theory]
    [InlineData("{\"name\":\"\"}", "name")]
    [InlineData("{\"name\":\"k\",\"scopes\":[\"root\"]}", "scopes")]
    [InlineData("{\"name\":\"k\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}", "expiresAt")]
    public async Task Invalid_key_requests_name_the_field(string json, string field)
    {
        var session = await SignUpAsync();
        using var request = session.Request(HttpMethod.Post, "/v1/api-keys");
        request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        var problem = await AssertProblem(await Client.SendAsync(request), HttpStatusCode.BadRequest, "validation");
        Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task Single_key_has_an_etag_that_answers_304()
    {
        var session = await SignUpAsync();
        var created = await Json(await SendAsync(session, HttpMethod.Post, "/v1/api-keys", new { name = "etag" }));
        var path = $"/v1/api-keys/{created.GetProperty("id").GetString()}";
        var first = await SendAsync(session, HttpMethod.Get, path);
        var etag = first.Headers.ETag;
        Assert.NotNull(etag);

        using var conditional = session.Request(HttpMethod.Get, path);
        conditional.Headers.IfNoneMatch.Add(etag);
        Assert.Equal(HttpStatusCode.NotModified, (await Client.SendAsync(conditional)).StatusCode);
    }
}

public sealed class SqliteApiKeyTests(SqliteFixture fixture) : ApiKeyTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresApiKeyTests(PostgresFixture fixture) : ApiKeyTests(fixture), IClassFixture<PostgresFixture>;
