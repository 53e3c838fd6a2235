using System.Security.Cryptography;
using System.Text;
using Cassiopeia.Core.Accounts;

namespace Cassiopeia.UnitTests.Accounts;

/// <summary>One real hash shared by the class: each PBKDF2 run at 210,000 iterations costs about 0.1–0.3 s.</summary>
public sealed class HashedPassword
{
    public const string Password = "correct horse battery staple";

    public PasswordHasher Hasher { get; } = new();

    public string Stored { get; }

    public HashedPassword() => Stored = Hasher.Hash(Password);
}

public sealed class PasswordHasherTests(HashedPassword fixture) : IClassFixture<HashedPassword>
{
    [Fact]
    public void Hash_then_verify_with_same_password_succeeds_without_rehash()
    {
        var valid = fixture.Hasher.Verify(HashedPassword.Password, fixture.Stored, out var needsRehash);

        Assert.True(valid);
        Assert.False(needsRehash);
    }

    [Fact]
    public void Wrong_password_fails_verification()
    {
        Assert.False(fixture.Hasher.Verify("correct horse battery stapler", fixture.Stored, out _));
    }

    [Fact]
    public void Stored_form_names_scheme_and_iterations_with_16_byte_salt_and_32_byte_hash()
    {
        var parts = fixture.Stored.Split('$');

        Assert.Equal(4, parts.Length);
        Assert.Equal("pbkdf2-sha512", parts[0]);
        Assert.Equal("210000", parts[1]);
        Assert.Equal(16, Convert.FromBase64String(parts[2]).Length);
        Assert.Equal(32, Convert.FromBase64String(parts[3]).Length);
        Assert.DoesNotContain(HashedPassword.Password, fixture.Stored, StringComparison.Ordinal);
    }

    [Fact]
    public void Hashing_the_same_password_twice_uses_different_salts_and_hashes()
    {
        var second = fixture.Hasher.Hash(HashedPassword.Password).Split('$');
        var first = fixture.Stored.Split('$');

        Assert.NotEqual(first[2], second[2]);
        Assert.NotEqual(first[3], second[3]);
    }

    [Fact]
    public void Iterations_below_minimum_are_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new PasswordHasher(PasswordHasher.MinimumIterations - 1));
    }

    [Fact]
    public void Stored_hash_with_fewer_iterations_than_configured_verifies_and_needs_rehash()
    {
        var stronger = new PasswordHasher(PasswordHasher.MinimumIterations + 1);

        var valid = stronger.Verify(HashedPassword.Password, fixture.Stored, out var needsRehash);

        Assert.True(valid);
        Assert.True(needsRehash);
    }

    [Fact]
    public void Legacy_low_iteration_hash_verifies_and_needs_rehash()
    {
        // A hand-made one-iteration hash: cheap, and proves the iteration count is read from the stored form.
        var salt = new byte[16];
        var hash = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("legacy password"), salt, 1, HashAlgorithmName.SHA512, 32);
        var stored = $"pbkdf2-sha512$1${Convert.ToBase64String(salt)}${Convert.ToBase64String(hash)}";

        Assert.True(fixture.Hasher.Verify("legacy password", stored, out var needsRehash));
        Assert.True(needsRehash);
        Assert.False(fixture.Hasher.Verify("legacy passwore", stored, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not a hash")]
    [InlineData("pbkdf2-sha512$210000$AAAA")]
    [InlineData("pbkdf2-sha512$210000$AAAA$AAAA$AAAA")]
    [InlineData("pbkdf2-sha256$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("PBKDF2-SHA512$1$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("pbkdf2-sha512$many$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("pbkdf2-sha512$0$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("pbkdf2-sha512$-5$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    [InlineData("pbkdf2-sha512$1$AAAAAAAAAAAAAAAAAAAAAA==$")]
    [InlineData("pbkdf2-sha512$1$not base64!$AAAA")]
    [InlineData("pbkdf2-sha512$1$AAAAAAAAAAAAAAAAAAAAAA==$%%%")]
    [InlineData("pbkdf2-sha512$1$AAAAAAAAAAAAAAAAAAAAAA==$AAA")]
    [InlineData("pbkdf2-sha512$99999999999$AAAAAAAAAAAAAAAAAAAAAA==$AAAA")]
    public void Malformed_stored_hash_fails_verification_without_throwing(string stored)
    {
        Assert.False(fixture.Hasher.Verify(HashedPassword.Password, stored, out _));
    }

    [Fact]
    public void Gated_derivations_run_one_at_a_time_when_so_configured_and_give_the_same_answers()
    {
        // Stored hashes of 100,000 iterations (tens of milliseconds each), so ungated verifications on the thread pool would overlap.
        using var hasher = new PasswordHasher(concurrency: 1);
        var salt = new byte[16];
        var stored = $"pbkdf2-sha512$100000${Convert.ToBase64String(salt)}${Convert.ToBase64String(Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes("gate"), salt, 100_000, HashAlgorithmName.SHA512, 32))}";

        // Six threads of their own, released together: without the gate they would derive side by side.
        using var start = new Barrier(6);
        var checks = new PasswordCheck[6];
        var threads = Enumerable.Range(0, 6).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            checks[i] = hasher.VerifyAsync(i % 2 == 0 ? "gate" : "gates", stored, CancellationToken.None).GetAwaiter().GetResult();
        })).ToList();
        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.Equal([true, false, true, false, true, false], checks.Select(c => c.Valid));
        Assert.All(checks, c => Assert.Equal(c.Valid, c.NeedsRehash)); // 100,000 < 210,000: a valid old hash wants rehashing
        Assert.Equal(1, hasher.PeakConcurrency);
    }

    [Fact]
    public async Task A_cancelled_wait_for_a_derivation_slot_throws_without_taking_a_slot()
    {
        using var hasher = new PasswordHasher(concurrency: 1);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => hasher.VerifyAsync("x", "not a hash", cancelled.Token));
        Assert.False((await hasher.VerifyAsync("x", "not a hash", CancellationToken.None)).Valid);
    }
}
