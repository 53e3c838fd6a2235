using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cassiopeia.Core.Accounts;

/// <summary>
/// PBKDF2-HMAC-SHA512 at OWASP's 2023+ recommendation of 210,000 iterations, through the
/// platform's own implementation (OpenSSL on Linux). The stored form names algorithm and
/// iterations, so a higher count later rehashes old passwords at their next login.
/// </summary>
public sealed class PasswordHasher
{
    public const int MinimumIterations = 210_000;
    public const int MaximumIterations = 10_000_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Scheme = "pbkdf2-sha512";

    private readonly int _iterations;
    private readonly Lazy<string> _dummy;

    public PasswordHasher(int iterations = MinimumIterations)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        _iterations = iterations;
        _dummy = new Lazy<string>(() => Hash("not-a-real-password-" + Guid.NewGuid()));
    }

    public string Hash(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var hash = Derive(password, salt, _iterations);
        return $"{Scheme}${_iterations}${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";
    }

    public bool Verify(string password, string stored, out bool needsRehash)
    {
        needsRehash = false;
        var parts = stored.Split('$');
        // A corrupt stored hash fails the login like a wrong password; it never throws. The upper
        // bound keeps a tampered row from pinning a core for minutes.
        if (parts.Length != 4 || parts[0] != Scheme
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var iterations) || iterations is < 1 or > MaximumIterations
            || !TryDecode(parts[2], out var salt) || !TryDecode(parts[3], out var expected) || expected.Length != HashBytes)
        {
            return false;
        }

        var actual = Derive(password, salt, iterations);
        var matches = CryptographicOperations.FixedTimeEquals(actual, expected);
        needsRehash = matches && iterations < _iterations;
        return matches;
    }

    /// <summary>Spends the same time as a real verification, so unknown accounts answer as slowly as known ones.</summary>
    public void VerifyAgainstDummy(string password) => Verify(password, _dummy.Value, out _);

    private static bool TryDecode(string text, out byte[] bytes)
    {
        bytes = new byte[text.Length];
        if (text.Length == 0 || !Convert.TryFromBase64String(text, bytes, out var written))
        {
            return false;
        }

        bytes = bytes[..written];
        return true;
    }

    private static byte[] Derive(string password, byte[] salt, int iterations) =>
        Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, HashAlgorithmName.SHA512, HashBytes);
}
