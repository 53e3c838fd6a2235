using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Organizations;

/// <summary>Adds an existing account to the organization. Only owners can make owners.</summary>
public sealed class AddMember(AppDbContext db, Caller caller, AuditLog audit, AccessCache access, TimeProvider time)
{
    public async Task<Result<MemberView>> HandleAsync(AddMemberRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Text(request.Email, "email", 254, required: true)
            .Require(Roles.TryParse(request.Role, out var role), "role", "One of owner, admin, member, viewer.");
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (role > caller.Role)
        {
            return Error.Forbidden("You cannot grant a role above your own.");
        }

        var organizationId = caller.RequireOrganizationId;
        var email = User.Normalize(request.Email!);
        var user = await db.Users.AsNoTracking().FirstOrDefaultAsync(u => u.NormalizedEmail == email, ct);
        if (user is null)
        {
            return new Error(ErrorKind.NotFound, "user-not-found", "No account uses this e-mail address; ask them to sign up first.");
        }

        var now = time.GetUtcNow().UtcDateTime;
        db.Memberships.Add(new Membership { OrganizationId = organizationId, UserId = user.Id, Role = role, CreatedUtc = now });
        audit.Record(AuditActions.MemberAdded, organizationId, caller.UserId, "user", user.Id, role.ToApi());
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            return new Error(ErrorKind.Conflict, "already-member", "This account is already a member.");
        }

        access.InvalidateUser(user.Id);
        return new MemberView(user.Id, user.Email, user.Name, role.ToApi(), now);
    }
}
