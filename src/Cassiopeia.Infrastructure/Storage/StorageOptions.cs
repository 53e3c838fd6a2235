using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>Document file storage. Section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string SectionName = "Storage";

    /// <summary><c>File</c>: encrypted files in the data directory (embedded profile); <c>S3</c>: an S3-compatible bucket (scale-out).</summary>
    public StorageProvider Provider { get; set; } = StorageProvider.File;

    /// <summary>The bucket and how to reach it, when <see cref="Provider"/> is <c>S3</c>.</summary>
    public S3StorageOptions S3 { get; set; } = new();

    /// <summary>Folder of the encrypted objects; defaults to <c>blobs</c> in the data directory.</summary>
    public string? Directory { get; set; }

    /// <summary>
    /// Base64 256-bit master key from the environment (<c>Storage__MasterKey</c>) or a secret store.
    /// When unset, master keys are read from <see cref="MasterKeysFile"/>, created on first start.
    /// </summary>
    public string? MasterKey { get; set; }

    /// <summary>Key id recorded in objects wrapped by <see cref="MasterKey"/> (at most 32 ASCII characters).</summary>
    [StringLength(32, MinimumLength = 1)]
    public string MasterKeyId { get; set; } = "env-1";

    /// <summary>
    /// Base64 key (at least 256 bits) that signs download, direct-upload and local-billing links, from the
    /// environment (<c>Storage__UrlSigningKey</c>) or a secret store. Nodes behind one load balancer must
    /// share it, or a link one node signed fails on another. When unset, the key ring is read from
    /// <c>keys/url-signing-keys.json</c> in the data directory, created on first start.
    /// </summary>
    public string? UrlSigningKey { get; set; }

    /// <summary>Key id of <see cref="UrlSigningKey"/> inside signed links (at most 32 ASCII characters).</summary>
    public string UrlSigningKeyId { get; set; } = "env-1";

    /// <summary>Master key ring (newest last); defaults to <c>keys/storage-master-keys.json</c> in the data directory.</summary>
    public string? MasterKeysFile { get; set; }

    /// <summary>
    /// With the SQLite database (embedded profile), objects of at most this many bytes are kept, encrypted
    /// as files are, in the database's <c>blob_objects</c> table instead of a file each: an upload then
    /// needs no file creation and fsync of its own. 0 keeps every object in a file.
    /// </summary>
    [Range(0, 1024 * 1024)]
    public int InlineMaxBytes { get; set; } = 64 * 1024;

    /// <summary>Plaintext bytes per encrypted segment; reads and writes hold about two segments in memory.</summary>
    [Range(4096, 4 * 1024 * 1024)]
    public int SegmentSize { get; set; } = 64 * 1024;
}

public enum StorageProvider
{
    File,
    S3,
}
