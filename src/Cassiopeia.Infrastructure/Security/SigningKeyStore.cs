using Cassiopeia.Core.Accounts;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Infrastructure.Security;

/// <summary>
/// Loads the access-token signing keys: one key from configuration (an environment variable or a
/// mounted secret), else the <see cref="KeyRingFile"/>, created on first start.
/// </summary>
public static class SigningKeyStore
{
    public static SigningKeyRing Load(AuthOptions options, string defaultFile)
    {
        if (!string.IsNullOrWhiteSpace(options.SigningKey))
        {
            var bytes = Convert.FromBase64String(options.SigningKey);
            return new SigningKeyRing([new SymmetricSecurityKey(bytes) { KeyId = options.SigningKeyId }]);
        }

        var ring = KeyRingFile.LoadOrCreate(options.SigningKeysFile ?? defaultFile);
        return new SigningKeyRing(ring.Select(k => new SymmetricSecurityKey(k.Key) { KeyId = k.Id }).ToList());
    }

    /// <summary>Adds a new newest signing key to the ring file and returns its key id.</summary>
    public static string Rotate(string file) => KeyRingFile.Rotate(file);
}
