using Cassiopeia.Core.Accounts;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.UnitTests.Accounts;

public sealed class SigningKeyRingTests
{
    [Fact]
    public void Key_shorter_than_256_bits_is_rejected()
    {
        var keys = new[] { Key("k1", 31) };

        Assert.Throws<ArgumentException>(() => new SigningKeyRing(keys));
    }

    [Fact]
    public void Short_key_anywhere_in_the_ring_is_rejected()
    {
        var keys = new[] { Key("k1", 32), Key("k2", 16) };

        Assert.Throws<ArgumentException>(() => new SigningKeyRing(keys));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Key_without_key_id_is_rejected(string? kid)
    {
        var keys = new[] { Key(kid, 32) };

        Assert.Throws<ArgumentException>(() => new SigningKeyRing(keys));
    }

    [Fact]
    public void Empty_ring_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => new SigningKeyRing([]));
    }

    [Fact]
    public void Newest_key_is_current_and_every_key_resolves_by_its_id()
    {
        var old = Key("k1", 32);
        var newest = Key("k2", 64);

        var ring = new SigningKeyRing([old, newest]);

        Assert.Same(newest, ring.Current);
        Assert.Same(old, Assert.Single(ring.Resolve("k1")));
        Assert.Same(newest, Assert.Single(ring.Resolve("k2")));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("k3")]
    [InlineData("K1")]
    public void Unknown_key_id_resolves_to_nothing(string? kid)
    {
        var ring = new SigningKeyRing([Key("k1", 32), Key("k2", 32)]);

        Assert.Empty(ring.Resolve(kid));
    }

    private static SymmetricSecurityKey Key(string? kid, int bytes) =>
        new(Enumerable.Range(1, bytes).Select(i => (byte)i).ToArray()) { KeyId = kid };
}
