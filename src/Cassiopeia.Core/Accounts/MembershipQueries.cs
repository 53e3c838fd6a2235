using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Accounts;

public static class MembershipQueries
{
    /// <summary>A user's memberships with their organizations' names, oldest first (the first is the default organization).</summary>
    public static async Task<List<MembershipSnapshot>> MembershipsOfAsync(this AppDbContext db, string userId, CancellationToken ct)
    {
        var rows = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new { o.Id, o.Name, m.Role, m.CreatedUtc })
            .OrderBy(x => x.CreatedUtc).ThenBy(x => x.Id)
            .ToListAsync(ct);
        return rows.ConvertAll(r => new MembershipSnapshot(r.Id, r.Name, r.Role, r.CreatedUtc));
    }

    public static async Task<OrganizationView?> DefaultOrganizationAsync(this AppDbContext db, string userId, CancellationToken ct) =>
        (await db.MembershipsOfAsync(userId, ct)).FirstOrDefault() is { } first
            ? new OrganizationView(first.OrganizationId, first.OrganizationName, first.Role.ToApi())
            : null;
}
