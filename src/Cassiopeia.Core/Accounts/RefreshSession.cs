using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Accounts;

public sealed record RefreshRequest(string? RefreshToken);

/// <summary>
/// Rotates a refresh token. The token is consumed with a conditional update, so of two
/// concurrent uses exactly one wins; any later use of a consumed token is reuse and revokes the family.
/// </summary>
public sealed class RefreshSession(AppDbContext db, TokenService tokens, AuditLog audit, TimeProvider time)
{
    public async Task<Result<AuthResponse>> HandleAsync(RefreshRequest request, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(request.RefreshToken) || request.RefreshToken.Length > 200)
        {
            return Invalid();
        }

        var now = time.GetUtcNow().UtcDateTime;
        var hash = TokenService.Hash(request.RefreshToken);
        var token = await db.RefreshTokens.AsNoTracking().FirstOrDefaultAsync(t => t.TokenHash == hash, ct);
        if (token is null || token.RevokedUtc is not null || token.ExpiresUtc <= now)
        {
            return Invalid();
        }

        var consumed = token.ConsumedUtc is null && await db.RefreshTokens
            .Where(t => t.Id == token.Id && t.ConsumedUtc == null && t.RevokedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.ConsumedUtc, now), ct) == 1;
        var organization = await db.DefaultOrganizationAsync(token.UserId, ct);
        if (!consumed)
        {
            await RevokeFamilyAsync(db, token.FamilyId, now, ct);
            audit.Record(AuditActions.RefreshReused, organization?.Id, token.UserId, "user", token.UserId);
            await db.SaveChangesAsync(ct);
            return Invalid();
        }

        var user = await db.Users.AsNoTracking().FirstAsync(u => u.Id == token.UserId, ct);
        var pair = tokens.Issue(user.Id, token.FamilyId);
        await db.SaveChangesAsync(ct);
        return new AuthResponse(UserView.From(user), organization, pair.AccessToken, pair.RefreshToken, pair.ExpiresIn);
    }

    internal static Task<int> RevokeFamilyAsync(AppDbContext db, string familyId, DateTime now, CancellationToken ct) =>
        db.RefreshTokens
            .Where(t => t.FamilyId == familyId && t.RevokedUtc == null)
            .ExecuteUpdateAsync(s => s.SetProperty(t => t.RevokedUtc, now), ct);

    private static Error Invalid() =>
        new(ErrorKind.Unauthorized, "invalid-refresh-token", "The refresh token is invalid, expired or revoked. Log in again.");
}
