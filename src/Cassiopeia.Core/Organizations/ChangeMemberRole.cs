using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Organizations;

/// <summary>
/// Changes or removes a membership. Admins manage members up to admin; only owners touch owners;
/// the last owner can be neither demoted nor removed, so an organization is never ownerless.
/// </summary>
public sealed class ChangeMemberRole(AppDbContext db, Caller caller, AuditLog audit, AccessCache access)
{
    public async Task<Result<MemberView>> HandleAsync(string userId, ChangeRoleRequest request, CancellationToken ct)
    {
        if (!Roles.TryParse(request.Role, out var role))
        {
            return Error.Validation("role", "One of owner, admin, member, viewer.");
        }

        var (membership, error) = await FindManageableAsync(userId, role, ct);
        if (error is not null)
        {
            return error;
        }

        var before = membership!.Role;
        if (before == Role.Owner && role != Role.Owner && await IsLastOwnerAsync(ct))
        {
            return new Error(ErrorKind.Conflict, "last-owner", "The organization's last owner cannot be demoted.");
        }

        membership.Role = role;
        audit.Record(AuditActions.RoleChanged, membership.OrganizationId, caller.UserId, "user", userId, $"{before.ToApi()} -> {role.ToApi()}");
        await db.SaveChangesAsync(ct);
        access.InvalidateUser(userId);
        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == userId, ct);
        return new MemberView(user.Id, user.Email, user.Name, role.ToApi(), membership.CreatedUtc);
    }

    public async Task<Error?> RemoveAsync(string userId, CancellationToken ct)
    {
        var (membership, error) = await FindManageableAsync(userId, Role.Viewer, ct);
        if (error is not null)
        {
            return error;
        }

        if (membership!.Role == Role.Owner && await IsLastOwnerAsync(ct))
        {
            return new Error(ErrorKind.Conflict, "last-owner", "The organization's last owner cannot be removed.");
        }

        db.Memberships.Remove(membership);
        audit.Record(AuditActions.MemberRemoved, membership.OrganizationId, caller.UserId, "user", userId, membership.Role.ToApi());
        await db.SaveChangesAsync(ct);
        access.InvalidateUser(userId);
        return null;
    }

    private async Task<(Membership? Membership, Error? Error)> FindManageableAsync(string userId, Role newRole, CancellationToken ct)
    {
        var organizationId = caller.RequireOrganizationId;
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.OrganizationId == organizationId && m.UserId == userId, ct);
        if (membership is null)
        {
            return (null, Error.NotFound("member"));
        }

        return (membership.Role == Role.Owner || newRole == Role.Owner) && caller.Role < Role.Owner
            ? (null, Error.Forbidden("Only owners can change owners."))
            : (membership, null);
    }

    private async Task<bool> IsLastOwnerAsync(CancellationToken ct)
    {
        var organizationId = caller.RequireOrganizationId;
        return await db.Memberships.CountAsync(m => m.OrganizationId == organizationId && m.Role == Role.Owner, ct) <= 1;
    }
}
