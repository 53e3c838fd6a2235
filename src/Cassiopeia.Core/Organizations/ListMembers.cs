using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Organizations;

public sealed class ListMembers(AppDbContext db, Caller caller)
{
    public async Task<Page<MemberView>> HandleAsync(PageRequest page, CancellationToken ct)
    {
        var organizationId = caller.RequireOrganizationId;
        var rows = await db.Memberships.AsNoTracking()
#pragma warning disable CA1309 // translated to SQL, where ids compare ordinally (binary / "C" collation)
            .Where(m => m.OrganizationId == organizationId && (page.After == null || string.Compare(m.UserId, page.After) > 0))
#pragma warning restore CA1309
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new { m.UserId, u.Email, u.Name, m.Role, m.CreatedUtc })
            .OrderBy(x => x.UserId)
            .Take(page.Limit + 1)
            .ToListAsync(ct);
        return PageRequest.ToPage(rows.ConvertAll(x => new MemberView(x.UserId, x.Email, x.Name, x.Role.ToApi(), x.CreatedUtc)), page.Limit, m => m.UserId);
    }
}
