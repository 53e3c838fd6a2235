using System.Security.Cryptography;
using System.Text;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Infrastructure.Security;

/// <summary>
/// Short-lived, tamper-proof tokens for URLs (HMAC-SHA256 under a key of a <see cref="KeyRingFile"/>):
/// <c>base64url(purpose|fields…|expiry|kid).base64url(mac)</c>. A token names its purpose, so a
/// download token cannot be used as an upload token, and carries its expiry, checked against the
/// application clock.
/// </summary>
public sealed class UrlSigner(IReadOnlyList<RingKey> keys, TimeProvider time)
{
    private readonly RingKey _current = keys[^1];

    public string Sign(string purpose, IReadOnlyList<string> fields, TimeSpan validFor)
    {
        var expires = (time.GetUtcNow() + validFor).ToUnixTimeSeconds();
        var payload = string.Join('|', [purpose, .. fields, expires.ToString(System.Globalization.CultureInfo.InvariantCulture), _current.Id]);
        var bytes = Encoding.UTF8.GetBytes(payload);
        return $"{Base64UrlEncoder.Encode(bytes)}.{Base64UrlEncoder.Encode(HMACSHA256.HashData(_current.Key, bytes))}";
    }

    /// <summary>The fields, or null when the token is malformed, forged, for another purpose or expired.</summary>
    public IReadOnlyList<string>? Verify(string purpose, string token)
    {
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (token.Length > 2048 || dot <= 0)
        {
            return null;
        }

        try
        {
            var bytes = Base64UrlEncoder.DecodeBytes(token[..dot]);
            var mac = Base64UrlEncoder.DecodeBytes(token[(dot + 1)..]);
            var parts = Encoding.UTF8.GetString(bytes).Split('|');
            var key = parts.Length >= 3 ? keys.FirstOrDefault(k => k.Id == parts[^1]) : null;
            if (key is null || !CryptographicOperations.FixedTimeEquals(HMACSHA256.HashData(key.Key, bytes), mac)
                || parts[0] != purpose || !long.TryParse(parts[^2], out var expires)
                || time.GetUtcNow().ToUnixTimeSeconds() >= expires)
            {
                return null;
            }

            return parts[1..^2];
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
