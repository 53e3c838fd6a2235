using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.ApiKeys;

/// <summary>Revokes a key at once: the next request that presents it is refused.</summary>
public sealed class RevokeApiKey(AppDbContext db, Caller caller, AuditLog audit, AccessCache access, TimeProvider time)
{
    public async Task<Error?> HandleAsync(string id, CancellationToken ct)
    {
        var userId = caller.RequireUserId;
        var isAdmin = caller.Role >= Role.Admin;
        var key = await db.ApiKeys.FirstOrDefaultAsync(k => k.Id == id && k.RevokedUtc == null && (isAdmin || k.UserId == userId), ct);
        if (key is null)
        {
            return Error.NotFound("API key");
        }

        key.RevokedUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(AuditActions.ApiKeyRevoked, key.OrganizationId, userId, "api_key", key.Id);
        await db.SaveChangesAsync(ct);
        access.InvalidateKey(key.Prefix);
        return null;
    }
}
