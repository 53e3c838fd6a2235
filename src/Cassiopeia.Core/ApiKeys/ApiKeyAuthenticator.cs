using System.Security.Cryptography;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.ApiKeys;

public sealed record AuthenticatedKey(string KeyId, string OrganizationId, string UserId, IReadOnlySet<string> Scopes);

/// <summary>Finds a key by its public prefix and checks the secret's hash in constant time.</summary>
public sealed class ApiKeyAuthenticator(AppDbContext db, AccessCache access, TimeProvider time)
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

        var now = time.GetUtcNow().UtcDateTime;
        var key = await access.GetKeyAsync(db, parts[1], ct);
        if (key is null || key.ExpiresUtc <= now || !CryptographicOperations.FixedTimeEquals(key.SecretHash, CreateApiKey.HashKey(presented)))
        {
            return null;
        }

        if (key.TryClaimLastUsedStamp(now, LastUsedResolution))
        {
            // Coarse last-use stamp: one write a minute per key keeps the hot path read-only.
            await db.ApiKeys.IgnoreQueryFilters().Where(k => k.Id == key.Id).ExecuteUpdateAsync(s => s.SetProperty(k => k.LastUsedUtc, now), ct);
        }

        return new AuthenticatedKey(key.Id, key.OrganizationId, key.UserId, key.Scopes);
    }
}
