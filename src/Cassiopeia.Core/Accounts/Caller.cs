using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Accounts;

/// <summary>
/// Who is calling, for one request: set by the web layer after authentication and before any
/// use case runs. Selecting the organization also selects the tenant of the data layer.
/// </summary>
public sealed class Caller(TenantContext tenant)
{
    public string? UserId { get; private set; }

    /// <summary>Set when the request authenticated with an API key rather than a user's token.</summary>
    public string? ApiKeyId { get; private set; }

    public string? OrganizationId => tenant.OrganizationId;

    public Role Role { get; private set; }

    /// <summary>API key scopes; null for a user's own token, which may do whatever the role allows.</summary>
    public IReadOnlySet<string>? Scopes { get; private set; }

    public string? IpAddress { get; set; }

    public bool IsAuthenticated => UserId is not null;

    public string RequireUserId => UserId ?? throw new InvalidOperationException("The request is not authenticated.");

    public string RequireOrganizationId => OrganizationId ?? throw new InvalidOperationException("No organization is selected.");

    public void Authenticate(string userId, string? apiKeyId, IReadOnlySet<string>? scopes)
    {
        UserId = userId;
        ApiKeyId = apiKeyId;
        Scopes = scopes;
    }

    public void SelectOrganization(string organizationId, Role role)
    {
        tenant.Enter(organizationId);
        Role = role;
    }

    public bool HasScope(string scope) => Scopes is null || Scopes.Contains(scope);
}
