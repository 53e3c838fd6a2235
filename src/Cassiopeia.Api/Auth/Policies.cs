using Cassiopeia.Core.Accounts;
using Microsoft.AspNetCore.Authorization;

namespace Cassiopeia.Api.Auth;

/// <summary>
/// Authorization by organization role and, for API keys, scope. The role is the caller's role in
/// the organization the request acts for (see <see cref="CallerMiddleware"/>).
/// </summary>
public static class Policies
{
    public const string Authenticated = "authenticated";

    public static IServiceCollection AddCassiopeiaAuthorization(this IServiceCollection services)
    {
        services.AddSingleton<IAuthorizationHandler, OrganizationRoleHandler>();
        services.AddAuthorizationBuilder()
            .AddPolicy(Authenticated, p => p.RequireAuthenticatedUser());
        services.AddSingleton<IAuthorizationPolicyProvider, RolePolicyProvider>();
        return services;
    }

    /// <summary>Requires an organization role (and an API key scope, when given) on an endpoint.</summary>
    public static TBuilder RequireRole<TBuilder>(this TBuilder builder, Role role, string? scope = null)
        where TBuilder : IEndpointConventionBuilder =>
        builder.RequireAuthorization(RolePolicyProvider.Name(role, scope));
}

public sealed record OrganizationRoleRequirement(Role Role, string? Scope) : IAuthorizationRequirement;

internal sealed class OrganizationRoleHandler : AuthorizationHandler<OrganizationRoleRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, OrganizationRoleRequirement requirement)
    {
        if (context.Resource is HttpContext http)
        {
            var caller = http.RequestServices.GetRequiredService<Caller>();
            if (caller.IsAuthenticated && caller.OrganizationId is not null && caller.Role >= requirement.Role
                && (requirement.Scope is null || caller.HasScope(requirement.Scope)))
            {
                context.Succeed(requirement);
            }
        }

        return Task.CompletedTask;
    }
}
