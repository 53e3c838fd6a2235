using System.Security.Cryptography;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.ApiKeys;

public sealed record AuthenticatedKey(string KeyId, string OrganizationId, string UserId, IReadOnlySet<string> Scopes);

/// <summary>Finds a key by its public prefix and checks the secret's hash in constant time.</summary>
public sealed class ApiKeyAuthenticator(AppDbContext db, TimeProvider time)
{
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    public static bool LooksLikeKey(string token) => token.StartsWith(CreateApiKey.KeyPrefix, StringComparison.Ordinal);

    public async Task<AuthenticatedKey?> AuthenticateAsync(string presented, CancellationToken ct)
    {
        var parts = presented.Split('_');
        if (parts.Length < 3 || presented.Length > 128 || !LooksLikeKey(presented))
        {
            return null;
        }

        var prefix = parts[1];
        var now = time.GetUtcNow().UtcDateTime;
        // Authentication runs before an organization is selected, so the tenant filter is lifted
        // for this one lookup by a globally unique prefix.
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix, ct);
        if (key is null || key.RevokedUtc is not null || key.ExpiresUtc <= now
            || !CryptographicOperations.FixedTimeEquals(key.SecretHash, CreateApiKey.HashKey(presented)))
        {
            return null;
        }

        if (key.LastUsedUtc is null || key.LastUsedUtc < now - LastUsedResolution)
        {
            // Coarse last-use stamp: at most one write a minute per key keeps the hot path read-only.
            var stale = now - LastUsedResolution;
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Id && (k.LastUsedUtc == null || k.LastUsedUtc < stale))
                .ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedUtc, now), ct);
        }

        return new AuthenticatedKey(key.Id, key.OrganizationId, key.UserId, key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal));
    }
}
