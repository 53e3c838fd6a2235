using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.ApiKeys;

/// <summary>Admins see every key of the organization; other members see their own.</summary>
public sealed class ListApiKeys(AppDbContext db, Caller caller)
{
    public async Task<Page<ApiKeyView>> HandleAsync(PageRequest page, CancellationToken ct)
    {
#pragma warning disable CA1309 // translated to SQL, where ids compare ordinally (binary / "C" collation)
        var rows = await Visible().Where(k => page.After == null || string.Compare(k.Id, page.After) < 0)
#pragma warning restore CA1309
            .OrderByDescending(k => k.Id)
            .Take(page.Limit + 1)
            .ToListAsync(ct);
        return PageRequest.ToPage(rows.ConvertAll(ApiKeyView.From), page.Limit, k => k.Id);
    }

    public async Task<ApiKeyView?> GetAsync(string id, CancellationToken ct)
    {
        var key = await Visible().FirstOrDefaultAsync(k => k.Id == id, ct);
        return key is null ? null : ApiKeyView.From(key);
    }

    internal IQueryable<ApiKey> Visible()
    {
        var userId = caller.RequireUserId;
        return caller.Role >= Role.Admin ? db.ApiKeys.AsNoTracking() : db.ApiKeys.AsNoTracking().Where(k => k.UserId == userId);
    }
}
