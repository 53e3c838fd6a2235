using Cassiopeia.Core.Storage;
using Cassiopeia.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Storage;

public static class StorageServices
{
    /// <summary>Registers the encrypted local-file blob store (embedded profile).</summary>
    public static IServiceCollection AddBlobStorage(this IServiceCollection services)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<EncryptedFileBlobStore>(sp =>
        {
            var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
            var data = sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
            return new EncryptedFileBlobStore(options.Directory ?? data.Resolve("blobs"), MasterKeys(options, data), options.SegmentSize);
        });
        services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<EncryptedFileBlobStore>());
        services.AddSingleton<IBlobStoreMaintenance>(sp => sp.GetRequiredService<EncryptedFileBlobStore>());
        services.AddSingleton(sp => new UrlSigner(
            KeyRingFile.LoadOrCreate(sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value.Resolve("keys", "url-signing-keys.json")),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>The master key ring: one key from configuration, else the ring file (created on first start).</summary>
    public static IReadOnlyList<RingKey> MasterKeys(StorageOptions options, DataDirectoryOptions data) =>
        string.IsNullOrWhiteSpace(options.MasterKey)
            ? KeyRingFile.LoadOrCreate(MasterKeysFile(options, data))
            : [new RingKey(options.MasterKeyId, Convert.FromBase64String(options.MasterKey))];

    public static string MasterKeysFile(StorageOptions options, DataDirectoryOptions data) =>
        options.MasterKeysFile ?? data.Resolve("keys", "storage-master-keys.json");
}
