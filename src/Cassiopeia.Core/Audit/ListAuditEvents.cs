using System.Globalization;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Audit;

public sealed record AuditEventView(string Id, string Action, string? ActorUserId, string? TargetType, string? TargetId, string? IpAddress, string? Detail, DateTime OccurredAt);

/// <summary>The current organization's audit events, newest first (the tenant filter scopes the query).</summary>
public sealed class ListAuditEvents(AppDbContext db)
{
    public async Task<Result<Page<AuditEventView>>> HandleAsync(PageRequest page, CancellationToken ct)
    {
        long? after = null;
        if (page.After is not null)
        {
            if (!long.TryParse(page.After, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                return Error.Validation("cursor", "The cursor is not valid.");
            }

            after = parsed;
        }

        var rows = await db.AuditEvents.AsNoTracking()
            .Where(a => after == null || a.Id < after)
            .OrderByDescending(a => a.Id)
            .Take(page.Limit + 1)
#pragma warning disable CA1305 // translated to SQL, where no culture applies
            .Select(a => new AuditEventView(a.Id.ToString(), a.Action, a.ActorUserId, a.TargetType, a.TargetId, a.IpAddress, a.Detail, a.OccurredUtc))
#pragma warning restore CA1305
            .ToListAsync(ct);
        return PageRequest.ToPage(rows, page.Limit, a => a.Id);
    }
}
