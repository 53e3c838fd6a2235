using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Accounts;

public static class MembershipQueries
{
    /// <summary>A user's organizations, oldest membership first (the first is the default organization).</summary>
    public static async Task<List<OrganizationView>> OrganizationsOfAsync(this AppDbContext db, string userId, CancellationToken ct)
    {
        var rows = await db.Memberships.AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new { o.Id, o.Name, m.Role, m.CreatedUtc })
            .OrderBy(x => x.CreatedUtc).ThenBy(x => x.Id)
            .ToListAsync(ct);
        return rows.ConvertAll(x => new OrganizationView(x.Id, x.Name, x.Role.ToApi()));
    }

    public static async Task<OrganizationView?> DefaultOrganizationAsync(this AppDbContext db, string userId, CancellationToken ct) =>
        (await db.OrganizationsOfAsync(userId, ct)).FirstOrDefault();
}
