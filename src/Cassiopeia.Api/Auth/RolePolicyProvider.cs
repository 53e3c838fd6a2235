using Cassiopeia.Core.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.Auth;

/// <summary>Builds <c>role:&lt;role&gt;[:&lt;scope&gt;]</c> policies on demand, so endpoints can name any combination.</summary>
internal sealed class RolePolicyProvider(IOptions<AuthorizationOptions> options) : DefaultAuthorizationPolicyProvider(options)
{
    private const string Prefix = "role:";

    public static string Name(Role role, string? scope) => $"{Prefix}{role.ToApi()}{(scope is null ? "" : ":" + scope)}";

    public override async Task<AuthorizationPolicy?> GetPolicyAsync(string policyName)
    {
        if (!policyName.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return await base.GetPolicyAsync(policyName);
        }

        var parts = policyName[Prefix.Length..].Split(':', 2);
        if (!Roles.TryParse(parts[0], out var role))
        {
            return null;
        }

        return new AuthorizationPolicyBuilder()
            .RequireAuthenticatedUser()
            .AddRequirements(new OrganizationRoleRequirement(role, parts.Length > 1 ? parts[1] : null))
            .Build();
    }
}
