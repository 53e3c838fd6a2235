using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Accounts;

/// <summary>Revokes the refresh token's whole family. Unknown tokens are ignored: logging out is idempotent.</summary>
public sealed class LogOut(AppDbContext db, AuditLog audit, TimeProvider time)
{
    public async Task HandleAsync(RefreshRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.RefreshToken) || request.RefreshToken.Length > 200)
        {
            return;
        }

        var hash = TokenService.Hash(request.RefreshToken);
        var token = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || token.RevokedUtc is not null)
        {
            return;
        }

        await RefreshSession.RevokeFamilyAsync(db, token.FamilyId, time.GetUtcNow().UtcDateTime, ct);
        var organization = await db.DefaultOrganizationAsync(token.UserId, ct);
        audit.Record(AuditActions.LoggedOut, organization?.Id, token.UserId, "user", token.UserId);
        await db.SaveChangesAsync(ct);
    }
}
