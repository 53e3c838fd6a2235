using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Accounts;

public sealed record MembershipView(string OrganizationId, string OrganizationName, string Role);

public sealed record MeResponse(UserView User, IReadOnlyList<MembershipView> Memberships, string? OrganizationId, string? Role, string? ApiKeyId);

/// <summary>The caller's profile, memberships and the organization and role this request acts with.</summary>
public sealed class GetMe(AppDbContext db, Caller caller, AccessCache access)
{
    public async Task<MeResponse?> HandleAsync(CancellationToken ct)
    {
        var userId = caller.RequireUserId;
        var snapshot = await access.GetUserAsync(db, userId, ct);
        if (snapshot is null)
        {
            return null;
        }

        return new MeResponse(
            snapshot.User,
            snapshot.Memberships.Select(m => new MembershipView(m.OrganizationId, m.OrganizationName, m.Role.ToApi())).ToList(),
            caller.OrganizationId,
            caller.OrganizationId is null ? null : caller.Role.ToApi(),
            caller.ApiKeyId);
    }
}
