using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Accounts;

public sealed record MembershipView(string OrganizationId, string OrganizationName, string Role);

public sealed record MeResponse(UserView User, IReadOnlyList<MembershipView> Memberships, string? OrganizationId, string? Role, string? ApiKeyId);

/// <summary>The caller's profile, memberships and the organization and role this request acts with.</summary>
public sealed class GetMe(AppDbContext db, Caller caller)
{
    public async Task<MeResponse?> HandleAsync(CancellationToken ct)
    {
        var userId = caller.RequireUserId;
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new UserView(u.Id, u.Email, u.Name, u.CreatedUtc)).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }

        var organizations = await db.OrganizationsOfAsync(userId, ct);
        return new MeResponse(
            user,
            organizations.ConvertAll(o => new MembershipView(o.Id, o.Name, o.Role)),
            caller.OrganizationId,
            caller.OrganizationId is null ? null : caller.Role.ToApi(),
            caller.ApiKeyId);
    }
}
