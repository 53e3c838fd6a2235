namespace Cassiopeia.Core.ApiKeys;

/// <summary>An API key as listed: never the secret.</summary>
public sealed record ApiKeyView(string Id, string Name, string Prefix, IReadOnlyList<string> Scopes, string UserId, DateTime CreatedAt, DateTime? ExpiresAt, DateTime? RevokedAt, DateTime? LastUsedAt)
{
    public static ApiKeyView From(ApiKey key) => new(
        key.Id, key.Name, key.Prefix, key.Scopes.Split(' ', StringSplitOptions.RemoveEmptyEntries), key.UserId, key.CreatedUtc, key.ExpiresUtc, key.RevokedUtc, key.LastUsedUtc);
}

/// <summary>The answer to creating a key: the only time <see cref="Key"/> is shown.</summary>
public sealed record CreatedApiKey(string Id, string Name, string Key, string Prefix, IReadOnlyList<string> Scopes, DateTime CreatedAt, DateTime? ExpiresAt);
