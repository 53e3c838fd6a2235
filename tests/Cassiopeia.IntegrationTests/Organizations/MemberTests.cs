using System.Net;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Organizations;

public abstract class MemberTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Owner_adds_a_member_who_then_acts_in_that_organization_by_header()
    {
        var owner = await SignUpAsync();
        var bob = await SignUpAsync();
        await AddMemberAsync(owner, bob, "viewer");

        var me = await Json(await SendAsync(bob, HttpMethod.Get, "/v1/me", organizationId: owner.OrganizationId));
        Assert.Equal(owner.OrganizationId, me.GetProperty("organizationId").GetString());
        Assert.Equal("viewer", me.GetProperty("role").GetString());
        Assert.Equal(2, me.GetProperty("memberships").GetArrayLength());

        // Without the header Bob acts in his own (first) organization.
        var own = await Json(await SendAsync(bob, HttpMethod.Get, "/v1/me"));
        Assert.Equal(bob.OrganizationId, own.GetProperty("organizationId").GetString());
    }

    [Fact]
    public async Task Members_list_paginates_with_a_cursor()
    {
        var owner = await SignUpAsync();
        for (var i = 0; i < 2; i++)
        {
            await AddMemberAsync(owner, await SignUpAsync(), "member");
        }

        var seen = new List<string>();
        string? cursor = null;
        do
        {
            var path = $"/v1/organizations/{owner.OrganizationId}/members?limit=2" + (cursor is null ? "" : $"&cursor={cursor}");
            var page = await Json(await SendAsync(owner, HttpMethod.Get, path));
            seen.AddRange(page.GetProperty("items").EnumerateArray().Select(m => m.GetProperty("userId").GetString()!));
            cursor = page.GetProperty("nextCursor").GetString();
        }
        while (cursor is not null);

        Assert.Equal(3, seen.Count);
        Assert.Equal(3, seen.Distinct().Count());
        Assert.Contains(owner.UserId, seen);
    }

    [Theory]
    [InlineData("?limit=0")]
    [InlineData("?limit=101")]
    [InlineData("?cursor=not-a-cursor")]
    [InlineData("?limit=abc")]
    public async Task Bad_paging_parameters_are_rejected(string query)
    {
        var owner = await SignUpAsync();
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, $"/v1/organizations/{owner.OrganizationId}/members{query}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Another_organization_in_the_route_is_not_found_and_in_the_header_is_forbidden()
    {
        var alice = await SignUpAsync();
        var mallory = await SignUpAsync();

        await AssertProblem(await SendAsync(mallory, HttpMethod.Get, $"/v1/organizations/{alice.OrganizationId}/members"), HttpStatusCode.NotFound);
        await AssertProblem(await SendAsync(mallory, HttpMethod.Post, $"/v1/organizations/{alice.OrganizationId}/members", new { email = mallory.Email, role = "owner" }), HttpStatusCode.NotFound);
        await AssertProblem(await SendAsync(mallory, HttpMethod.Patch, $"/v1/organizations/{alice.OrganizationId}/members/{alice.UserId}", new { role = "viewer" }), HttpStatusCode.NotFound);
        await AssertProblem(await SendAsync(mallory, HttpMethod.Get, "/v1/me", organizationId: alice.OrganizationId), HttpStatusCode.Forbidden);

        // Nothing changed: Alice is still the only member and still owner.
        var members = await Json(await SendAsync(alice, HttpMethod.Get, $"/v1/organizations/{alice.OrganizationId}/members"));
        var only = Assert.Single(members.GetProperty("items").EnumerateArray());
        Assert.Equal("owner", only.GetProperty("role").GetString());
    }

    [Fact]
    public async Task Viewers_and_members_cannot_manage_members()
    {
        var owner = await SignUpAsync();
        var member = await SignUpAsync();
        var viewer = await SignUpAsync();
        var outsider = await SignUpAsync();
        await AddMemberAsync(owner, member, "member");
        await AddMemberAsync(owner, viewer, "viewer");

        var path = $"/v1/organizations/{owner.OrganizationId}/members";
        await AssertProblem(await SendAsync(viewer, HttpMethod.Post, path, new { email = outsider.Email, role = "viewer" }), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(member, HttpMethod.Post, path, new { email = outsider.Email, role = "viewer" }), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(member, HttpMethod.Patch, $"{path}/{viewer.UserId}", new { role = "admin" }), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(viewer, HttpMethod.Get, path)).StatusCode);
    }

    [Fact]
    public async Task Admins_manage_members_but_not_owners()
    {
        var owner = await SignUpAsync();
        var admin = await SignUpAsync();
        var member = await SignUpAsync();
        await AddMemberAsync(owner, admin, "admin");
        var path = $"/v1/organizations/{owner.OrganizationId}/members";

        Assert.Equal(HttpStatusCode.Created, (await SendAsync(admin, HttpMethod.Post, path, new { email = member.Email, role = "member" })).StatusCode);
        var changed = await SendAsync(admin, HttpMethod.Patch, $"{path}/{member.UserId}", new { role = "viewer" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
        Assert.Equal("viewer", (await Json(changed)).GetProperty("role").GetString());

        await AssertProblem(await SendAsync(admin, HttpMethod.Patch, $"{path}/{member.UserId}", new { role = "owner" }), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(admin, HttpMethod.Patch, $"{path}/{owner.UserId}", new { role = "viewer" }), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(admin, HttpMethod.Delete, $"{path}/{owner.UserId}"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task A_role_change_applies_to_the_very_next_request()
    {
        var owner = await SignUpAsync();
        var admin = await SignUpAsync();
        var outsider = await SignUpAsync();
        await AddMemberAsync(owner, admin, "admin");
        var path = $"/v1/organizations/{owner.OrganizationId}/members";
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(admin, HttpMethod.Get, "/v1/audit-events", organizationId: owner.OrganizationId)).StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await SendAsync(owner, HttpMethod.Patch, $"{path}/{admin.UserId}", new { role = "viewer" })).StatusCode);
        await AssertProblem(await SendAsync(admin, HttpMethod.Get, "/v1/audit-events", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(admin, HttpMethod.Post, path, new { email = outsider.Email, role = "viewer" }), HttpStatusCode.Forbidden);
        var me = await Json(await SendAsync(admin, HttpMethod.Get, "/v1/me", organizationId: owner.OrganizationId));
        Assert.Equal("viewer", me.GetProperty("role").GetString());
    }

    [Fact]
    public async Task The_last_owner_can_be_neither_demoted_nor_removed()
    {
        var owner = await SignUpAsync();
        var path = $"/v1/organizations/{owner.OrganizationId}/members/{owner.UserId}";
        await AssertProblem(await SendAsync(owner, HttpMethod.Patch, path, new { role = "admin" }), HttpStatusCode.Conflict, "last-owner");
        await AssertProblem(await SendAsync(owner, HttpMethod.Delete, path), HttpStatusCode.Conflict, "last-owner");

        var second = await SignUpAsync();
        await AddMemberAsync(owner, second, "owner");
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(owner, HttpMethod.Patch, path, new { role = "admin" })).StatusCode);
    }

    [Fact]
    public async Task Adding_twice_conflicts_and_unknown_emails_and_roles_are_refused()
    {
        var owner = await SignUpAsync();
        var bob = await SignUpAsync();
        var path = $"/v1/organizations/{owner.OrganizationId}/members";
        await AddMemberAsync(owner, bob, "member");

        await AssertProblem(await SendAsync(owner, HttpMethod.Post, path, new { email = bob.Email, role = "member" }), HttpStatusCode.Conflict, "already-member");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, path, new { email = "nobody@example.test", role = "member" }), HttpStatusCode.NotFound, "user-not-found");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, path, new { email = bob.Email, role = "superuser" }), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Patch, $"{path}/{bob.UserId}", new { role = "' OR 1=1" }), HttpStatusCode.BadRequest, "validation");
    }

    [Fact]
    public async Task Removed_member_loses_access_at_once_and_their_keys_stop_working()
    {
        var owner = await SignUpAsync();
        var bob = await SignUpAsync();
        await AddMemberAsync(owner, bob, "member");
        var bobsKey = (await Json(await SendAsync(bob, HttpMethod.Post, "/v1/api-keys", new { name = "bob" }, owner.OrganizationId))).GetProperty("key").GetString()!;
        Assert.Equal(HttpStatusCode.OK, (await SendWithKeyAsync(bobsKey, HttpMethod.Get, "/v1/me")).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"/v1/organizations/{owner.OrganizationId}/members/{bob.UserId}")).StatusCode);
        await AssertProblem(await SendAsync(bob, HttpMethod.Get, $"/v1/organizations/{owner.OrganizationId}/members"), HttpStatusCode.NotFound);
        await AssertProblem(await SendWithKeyAsync(bobsKey, HttpMethod.Get, "/v1/me"), HttpStatusCode.Forbidden);
    }
}

public sealed class SqliteMemberTests(SqliteFixture fixture) : MemberTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresMemberTests(PostgresFixture fixture) : MemberTests(fixture), IClassFixture<PostgresFixture>;
