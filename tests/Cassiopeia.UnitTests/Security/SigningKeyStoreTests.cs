using System.Runtime.Versioning;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Infrastructure.Security;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.UnitTests.Security;

public sealed class SigningKeyStoreTests : IDisposable
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;
    private const UnixFileMode OwnerAll = OwnerReadWrite | UnixFileMode.UserExecute;

    private readonly string _root = Directory.CreateTempSubdirectory("cassiopeia-keys-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string KeyFile => Path.Combine(_root, "keys", "jwt-signing-keys.json");

    [Fact]
    public void Missing_key_file_is_created_with_one_256_bit_key()
    {
        var ring = SigningKeyStore.Load(new AuthOptions(), KeyFile);

        Assert.True(File.Exists(KeyFile));
        var key = Assert.Single(ring.Keys);
        Assert.Equal(32, key.Key.Length);
        Assert.False(string.IsNullOrEmpty(key.KeyId));
        Assert.Same(key, ring.Current);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Created_key_file_is_readable_by_owner_only_in_an_owner_only_folder()
    {
        SigningKeyStore.Load(new AuthOptions(), KeyFile);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyFile));
        Assert.Equal(OwnerAll, File.GetUnixFileMode(Path.GetDirectoryName(KeyFile)!));
        Assert.False(File.Exists(KeyFile + ".tmp"));
    }

    [Fact]
    public void Configured_key_file_is_preferred_over_the_default()
    {
        var configured = Path.Combine(_root, "configured", "ring.json");

        SigningKeyStore.Load(new AuthOptions { SigningKeysFile = configured }, KeyFile);

        Assert.True(File.Exists(configured));
        Assert.False(File.Exists(KeyFile));
    }

    [Fact]
    public void Loading_again_returns_the_stored_key()
    {
        var first = SigningKeyStore.Load(new AuthOptions(), KeyFile);
        var second = SigningKeyStore.Load(new AuthOptions(), KeyFile);

        Assert.Equal(first.Current.KeyId, second.Current.KeyId);
        Assert.Equal(first.Current.Key, second.Current.Key);
    }

    [Fact]
    public void Rotated_key_becomes_current_while_old_key_still_resolves()
    {
        var before = SigningKeyStore.Load(new AuthOptions(), KeyFile);

        var kid = SigningKeyStore.Rotate(KeyFile);
        var after = SigningKeyStore.Load(new AuthOptions(), KeyFile);

        Assert.NotEqual(before.Current.KeyId, kid);
        Assert.Equal(2, after.Keys.Count);
        Assert.Equal(kid, after.Current.KeyId);
        Assert.NotEqual(before.Current.Key, after.Current.Key);
        var old = Assert.IsType<SymmetricSecurityKey>(Assert.Single(after.Resolve(before.Current.KeyId)));
        Assert.Equal(before.Current.Key, old.Key);
    }

    [Fact]
    [UnsupportedOSPlatform("windows")]
    public void Rotated_key_file_stays_owner_only()
    {
        SigningKeyStore.Load(new AuthOptions(), KeyFile);
        SigningKeyStore.Rotate(KeyFile);

        Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(KeyFile));
    }

    [Fact]
    public void Configured_signing_key_is_used_instead_of_a_file()
    {
        var secret = Enumerable.Range(0, 32).Select(i => (byte)(i * 7)).ToArray();
        var options = new AuthOptions { SigningKey = Convert.ToBase64String(secret), SigningKeyId = "env-7" };

        var ring = SigningKeyStore.Load(options, KeyFile);

        var key = Assert.Single(ring.Keys);
        Assert.Equal("env-7", key.KeyId);
        Assert.Equal(secret, key.Key);
        Assert.False(Directory.Exists(Path.GetDirectoryName(KeyFile)));
    }

    [Fact]
    public void Configured_signing_key_shorter_than_256_bits_is_rejected()
    {
        var options = new AuthOptions { SigningKey = Convert.ToBase64String(new byte[31]) };

        Assert.Throws<ArgumentException>(() => SigningKeyStore.Load(options, KeyFile));
    }
}
