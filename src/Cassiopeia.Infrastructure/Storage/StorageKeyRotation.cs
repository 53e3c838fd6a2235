using Cassiopeia.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>The <c>rotate-storage-key</c> command: a new master key, then every object's data key re-wrapped under it.</summary>
public static class StorageKeyRotation
{
    public static async Task<string> RotateAsync(IServiceProvider services, CancellationToken ct)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        var data = services.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
        if (options.Provider == StorageProvider.S3)
        {
            return "Storage:Provider is S3: objects are encrypted by the service (SSE-S3 or SSE-KMS); rotate the KMS key in KMS (automatic yearly rotation keeps old objects readable). Nothing to re-wrap here.";
        }

        if (!string.IsNullOrWhiteSpace(options.MasterKey))
        {
            return "Storage__MasterKey is set: rotate by adding the new key to a key ring file (Storage__MasterKeysFile) instead.";
        }

        var file = StorageServices.MasterKeysFile(options, data);
        var kid = KeyRingFile.Rotate(file);
        var store = new EncryptedFileBlobStore(options.Directory ?? data.Resolve("blobs"), KeyRingFile.LoadOrCreate(file), options.SegmentSize, StorageServices.ObjectTable(services));
        var count = await store.RewrapAllAsync(ct);
        return $"New storage master key {kid} in {file}; {count} object(s) re-wrapped. Older keys can be removed from the file once no running instance uses them.";
    }
}
