using Cassiopeia.Api.Http;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Data;

namespace Cassiopeia.Api.Auth;

/// <summary>
/// Turns the authenticated principal into the request's <see cref="Caller"/>: which user, which
/// API key, and which organization with which role. The organization comes from the route
/// (<c>{orgId}</c>), else <c>X-Organization-Id</c>, else the API key's organization, else the
/// user's first membership. An organization the caller does not belong to is 404 in a route
/// (it may as well not exist) and 403 in the header.
/// </summary>
public sealed class CallerMiddleware(RequestDelegate next)
{
    public const string OrganizationHeader = "X-Organization-Id";

    public async Task InvokeAsync(HttpContext context, Caller caller, AppDbContext db, AccessCache access, IProblemDetailsService problems)
    {
        caller.IpAddress = context.Connection.RemoteIpAddress?.ToString();
        var principal = context.User;
        var userId = principal.FindFirst(AuthenticationSetup.SubjectClaim)?.Value;
        if (principal.Identity?.IsAuthenticated != true || userId is null)
        {
            await next(context);
            return;
        }

        var keyId = principal.FindFirst(AuthenticationSetup.ApiKeyClaim)?.Value;
        var keyOrganization = principal.FindFirst(AuthenticationSetup.OrganizationClaim)?.Value;
        IReadOnlySet<string>? scopes = keyId is null ? null : principal.FindAll(AuthenticationSetup.ScopeClaim).Select(c => c.Value).ToHashSet(StringComparer.Ordinal);
        caller.Authenticate(userId, keyId, scopes);

        var fromRoute = context.Request.RouteValues.TryGetValue("orgId", out var routeValue) ? routeValue as string : null;
        var fromHeader = context.Request.Headers[OrganizationHeader].ToString() is { Length: > 0 } h ? h : null;
        var wanted = fromRoute ?? fromHeader ?? keyOrganization;

        var user = await access.GetUserAsync(db, userId, context.RequestAborted);
        if (user is null)
        {
            await problems.WriteAsync(context, 401, "unauthorized", "The account no longer exists.");
            return;
        }

        var membership = wanted is null ? (user.Memberships.Count > 0 ? user.Memberships[0] : null) : user.Memberships.FirstOrDefault(m => m.OrganizationId == wanted);
        var keyMismatch = keyOrganization is not null && membership is not null && membership.OrganizationId != keyOrganization;
        if (keyOrganization is not null && !user.Memberships.Any(m => m.OrganizationId == keyOrganization))
        {
            // The key's creator has left its organization: the key no longer acts for anyone.
            await problems.WriteAsync(context, 403, "forbidden", "The API key's owner is no longer a member of its organization.");
            return;
        }

        if (wanted is not null && (membership is null || keyMismatch))
        {
            if (fromRoute is not null)
            {
                await problems.WriteAsync(context, 404, "not-found", "The organization does not exist.");
            }
            else
            {
                await problems.WriteAsync(context, 403, "forbidden", "You are not a member of the organization in X-Organization-Id" + (keyMismatch ? ", or the API key belongs to another." : "."));
            }

            return;
        }

        if (membership is not null)
        {
            caller.SelectOrganization(membership.OrganizationId, membership.Role);
        }

        await next(context);
    }
}
