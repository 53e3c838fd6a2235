using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Core.Accounts;

/// <summary>
/// The keys that sign access tokens (HMAC-SHA256), each with a key id written into the token
/// header. The newest signs; all of them verify, so a key can be rotated in without logging
/// anyone out and retired once the tokens it signed have expired.
/// </summary>
public sealed class SigningKeyRing
{
    public SigningKeyRing(IReadOnlyList<SymmetricSecurityKey> keys)
    {
        if (keys.Count == 0)
        {
            throw new ArgumentException("At least one signing key is required.", nameof(keys));
        }

        foreach (var key in keys)
        {
            if (string.IsNullOrEmpty(key.KeyId) || key.Key.Length < 32)
            {
                throw new ArgumentException("Every signing key needs a key id and at least 256 bits.", nameof(keys));
            }
        }

        Keys = keys;
        Current = keys[^1];
    }

    public SymmetricSecurityKey Current { get; }

    public IReadOnlyList<SymmetricSecurityKey> Keys { get; }

    public IEnumerable<SecurityKey> Resolve(string? keyId) =>
        Keys.Where(k => string.Equals(k.KeyId, keyId, StringComparison.Ordinal));
}
