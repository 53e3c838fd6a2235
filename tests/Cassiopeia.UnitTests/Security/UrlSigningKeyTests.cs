using System.Security.Cryptography;
using Cassiopeia.Infrastructure;
using Cassiopeia.Infrastructure.Security;
using Cassiopeia.Infrastructure.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cassiopeia.UnitTests.Security;

/// <summary>Links one node signs must verify on another node when the nodes share <c>Storage:UrlSigningKey</c>.</summary>
public sealed class UrlSigningKeyTests : IDisposable
{
    private readonly string _nodeA = Directory.CreateTempSubdirectory("cassiopeia-node-a-").FullName;
    private readonly string _nodeB = Directory.CreateTempSubdirectory("cassiopeia-node-b-").FullName;

    public void Dispose()
    {
        Directory.Delete(_nodeA, recursive: true);
        Directory.Delete(_nodeB, recursive: true);
    }

    [Fact]
    public void Nodes_sharing_the_configured_key_verify_each_others_links()
    {
        var shared = new StorageOptions { UrlSigningKey = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)) };
        var a = Signer(shared, _nodeA);
        var b = Signer(shared, _nodeB);

        var token = a.Sign("download", ["org_1", "doc_1", "abc"], TimeSpan.FromMinutes(5));

        Assert.Equal(["org_1", "doc_1", "abc"], b.Verify("download", token));
        Assert.Null(b.Verify("upload", token));
        Assert.False(File.Exists(Path.Combine(_nodeA, "keys", "url-signing-keys.json"))); // no per-node ring when the key is configured
    }

    [Fact]
    public void Without_a_configured_key_each_node_has_its_own_ring_and_refuses_the_others_links()
    {
        var a = Signer(new StorageOptions(), _nodeA);
        var b = Signer(new StorageOptions(), _nodeB);

        var token = a.Sign("download", ["org_1", "doc_1", "abc"], TimeSpan.FromMinutes(5));

        Assert.NotNull(a.Verify("download", token));
        Assert.Null(b.Verify("download", token));
    }

    [Theory]
    [InlineData("not base64!", null)]
    [InlineData("c2hvcnQ=", null)] // 5 bytes
    [InlineData(null, "has|pipe")]
    [InlineData(null, "")]
    public void A_bad_key_or_key_id_stops_the_start(string? key, string? keyId)
    {
        var settings = new Dictionary<string, string?> { ["Cassiopeia:DataDirectory"] = _nodeA };
        if (key is not null)
        {
            settings["Storage:UrlSigningKey"] = key;
        }

        if (keyId is not null)
        {
            settings["Storage:UrlSigningKeyId"] = keyId;
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration);
        services.AddBlobStorage(configuration);
        using var provider = services.BuildServiceProvider();

        var failure = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<StorageOptions>>().Value);
        Assert.Contains("UrlSigningKey", failure.Message, StringComparison.Ordinal);
    }

    private static UrlSigner Signer(StorageOptions options, string dataDirectory) =>
        new(StorageServices.UrlSigningKeys(options, new DataDirectoryOptions { DataDirectory = dataDirectory }), TimeProvider.System);
}
