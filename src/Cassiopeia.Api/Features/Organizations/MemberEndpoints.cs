using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Organizations;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Cassiopeia.Api.Features.Organizations;

/// <summary>Members of <c>{orgId}</c>; the caller middleware has already checked the caller belongs to it.</summary>
public static class MemberEndpoints
{
    public static IEndpointRouteBuilder MapMemberEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapGroup("/v1/organizations/{orgId}/members").WithTags("Organizations");
        group.MapGet("/", ListAsync).WithName("ListMembers").RequireRole(Role.Viewer, ApiKeyScopes.Admin);
        group.MapPost("/", AddAsync).WithName("AddMember").RequireRole(Role.Admin, ApiKeyScopes.Admin).WithIdempotency();
        group.MapPatch("/{userId}", ChangeRoleAsync).WithName("ChangeMemberRole").RequireRole(Role.Admin, ApiKeyScopes.Admin);
        group.MapDelete("/{userId}", RemoveAsync).WithName("RemoveMember").RequireRole(Role.Admin, ApiKeyScopes.Admin);
        return app;
    }

    internal static async Task<Results<Ok<PageResponse<MemberView>>, ProblemHttpResult>> ListAsync(string orgId, int? limit, string? cursor, ListMembers list, CancellationToken ct)
    {
        var page = Pagination.Read(limit, cursor);
        return page.Succeeded ? TypedResults.Ok((await list.HandleAsync(page.Value!, ct)).ToResponse()) : page.Error!.ToProblem();
    }

    internal static async Task<Results<Created<MemberView>, ProblemHttpResult>> AddAsync(string orgId, AddMemberRequest request, AddMember add, CancellationToken ct)
    {
        var result = await add.HandleAsync(request, ct);
        return result.Succeeded ? TypedResults.Created($"/v1/organizations/{orgId}/members/{result.Value!.UserId}", result.Value) : result.Error!.ToProblem();
    }

    internal static async Task<Results<Ok<MemberView>, ProblemHttpResult>> ChangeRoleAsync(string orgId, string userId, ChangeRoleRequest request, ChangeMemberRole change, CancellationToken ct)
    {
        var result = await change.HandleAsync(userId, request, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value) : result.Error!.ToProblem();
    }

    internal static async Task<Results<NoContent, ProblemHttpResult>> RemoveAsync(string orgId, string userId, ChangeMemberRole change, CancellationToken ct) =>
        await change.RemoveAsync(userId, ct) is { } error ? error.ToProblem() : TypedResults.NoContent();
}
