using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;

namespace Cassiopeia.Core.Accounts;

public sealed record MembershipSnapshot(string OrganizationId, string OrganizationName, Role Role, DateTime CreatedUtc);

/// <summary>A user and their memberships, oldest first (the first is the default organization).</summary>
public sealed record UserSnapshot(UserView User, IReadOnlyList<MembershipSnapshot> Memberships);

/// <summary>An API key as authentication needs it.</summary>
public sealed record KeySnapshot(string Id, string OrganizationId, string UserId, byte[] SecretHash, IReadOnlySet<string> Scopes, DateTime? ExpiresUtc, DateTime? LastUsedUtc)
{
    private long _lastStampTicks = LastUsedUtc?.Ticks ?? 0;

    /// <summary>True for exactly one caller once the last stamp is older than <paramref name="resolution"/>.</summary>
    public bool TryClaimLastUsedStamp(DateTime now, TimeSpan resolution)
    {
        var last = Interlocked.Read(ref _lastStampTicks);
        return now.Ticks - last > resolution.Ticks && Interlocked.CompareExchange(ref _lastStampTicks, now.Ticks, last) == last;
    }
}

/// <summary>
/// What every authenticated request needs (who the user is, their memberships, an API key's
/// grant), kept in memory so the hot path reads no database. Every change to these rows calls an
/// <c>Invalidate…</c> method in the same process, so revocations and role changes apply to the
/// next request; entries also expire after <see cref="Lifetime"/>, which bounds staleness for
/// changes made by other processes until the scale-out profile adds a shared invalidation channel.
/// </summary>
public sealed class AccessCache(IMemoryCache cache)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(60);

    public async Task<UserSnapshot?> GetUserAsync(AppDbContext db, string userId, CancellationToken ct)
    {
        if (cache.TryGetValue(UserKey(userId), out UserSnapshot? cached))
        {
            return cached;
        }

        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId).Select(u => new UserView(u.Id, u.Email, u.Name, u.CreatedUtc)).FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }

        var snapshot = new UserSnapshot(user, await db.MembershipsOfAsync(userId, ct));
        return cache.Set(UserKey(userId), snapshot, Lifetime);
    }

    public async Task<KeySnapshot?> GetKeyAsync(AppDbContext db, string prefix, CancellationToken ct)
    {
        if (cache.TryGetValue(KeyKey(prefix), out KeySnapshot? cached))
        {
            return cached;
        }

        // Authentication runs before an organization is selected, so the tenant filter is lifted
        // for this one lookup by a globally unique prefix. Revoked keys are not cached.
        var key = await db.ApiKeys.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(k => k.Prefix == prefix && k.RevokedUtc == null, ct);
        if (key is null)
        {
            return null;
        }

        var scopes = key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var snapshot = new KeySnapshot(key.Id, key.OrganizationId, key.UserId, key.SecretHash, scopes, key.ExpiresUtc, key.LastUsedUtc);
        return cache.Set(KeyKey(prefix), snapshot, Lifetime);
    }

    public void InvalidateUser(string userId) => cache.Remove(UserKey(userId));

    public void InvalidateKey(string prefix) => cache.Remove(KeyKey(prefix));

    private static string UserKey(string userId) => "access:user:" + userId;

    private static string KeyKey(string prefix) => "access:key:" + prefix;
}
