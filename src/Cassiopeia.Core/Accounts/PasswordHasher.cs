using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Cassiopeia.Core.Accounts;

/// <summary>The outcome of checking a password against its stored hash.</summary>
public readonly record struct PasswordCheck(bool Valid, bool NeedsRehash);

/// <summary>
/// PBKDF2-HMAC-SHA512 at OWASP's 2023+ recommendation of 210,000 iterations, through the
/// platform's own implementation (OpenSSL on Linux). The stored form names algorithm and
/// iterations, so a higher count later rehashes old passwords at their next login.
/// Request handlers use the asynchronous methods: at most one derivation per processor runs at a
/// time (a derivation holds its thread for 0.1–0.3 s), the rest wait without a thread. A burst of
/// logins then queues instead of taking every thread-pool thread, so other requests keep being
/// served, and a CPU-limited container does not spend its quota switching between derivations.
/// </summary>
public sealed class PasswordHasher : IDisposable
{
    public const int MinimumIterations = 210_000;
    public const int MaximumIterations = 10_000_000;
    private const int SaltBytes = 16;
    private const int HashBytes = 32;
    private const string Scheme = "pbkdf2-sha512";

    private readonly int _iterations;
    private readonly Lazy<string> _dummy;
    private readonly SemaphoreSlim _gate;
    private int _running;
    private int _peakRunning;

    /// <param name="iterations">Iterations for new hashes.</param>
    /// <param name="concurrency">Derivations at once through the asynchronous methods; default one per processor (as the runtime counts them, CPU limits included).</param>
    public PasswordHasher(int iterations = MinimumIterations, int? concurrency = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(iterations, MinimumIterations);
        var slots = concurrency ?? Environment.ProcessorCount;
        ArgumentOutOfRangeException.ThrowIfLessThan(slots, 1, nameof(concurrency));
        _iterations = iterations;
        _dummy = new Lazy<string>(() => Hash("not-a-real-password-" + Guid.NewGuid()));
        _gate = new SemaphoreSlim(slots, slots);
    }

    /// <summary>The most gated derivations that ever ran at once (for tests).</summary>
    internal int PeakConcurrency => Volatile.Read(ref _peakRunning);

    public Task<string> HashAsync(string password, CancellationToken ct) => GatedAsync(() => Hash(password), ct);

    public Task<PasswordCheck> VerifyAsync(string password, string stored, CancellationToken ct) =>
        GatedAsync(() => new PasswordCheck(Verify(password, stored, out var needsRehash), needsRehash), ct);

    /// <inheritdoc cref="VerifyAgainstDummy"/>
    public Task VerifyAgainstDummyAsync(string password, CancellationToken ct) =>
        GatedAsync(() => Verify(password, _dummy.Value, out _), ct);

    public void Dispose() => _gate.Dispose();

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

    private async Task<T> GatedAsync<T>(Func<T> derive, CancellationToken ct)
    {
        await _gate.WaitAsync(ct).ConfigureAwait(false);
        var running = Interlocked.Increment(ref _running);
        try
        {
            var peak = Volatile.Read(ref _peakRunning);
            while (running > peak && Interlocked.CompareExchange(ref _peakRunning, running, peak) != peak)
            {
                peak = Volatile.Read(ref _peakRunning);
            }

            return derive();
        }
        finally
        {
            Interlocked.Decrement(ref _running);
            _gate.Release();
        }
    }

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
