namespace Cassiopeia.Core.Storage;

/// <summary>What a finished write stored: the plaintext size and SHA-256 (lower-case hex).</summary>
public sealed record StoredBlob(long Size, string Sha256);

/// <summary>
/// Object storage for document files. Writes stream (constant memory whatever the size), are
/// atomic (a reader sees the whole object or none) and hash as they go. Implementations: encrypted
/// local files (embedded profile) and S3-compatible storage (scale-out).
/// </summary>
public interface IBlobStore
{
    /// <summary>Streams <paramref name="content"/> into <paramref name="key"/>, replacing nothing that is visible until it completes.</summary>
    /// <exception cref="BlobTooLargeException">More than <paramref name="maxBytes"/> arrived; nothing is stored.</exception>
    Task<StoredBlob> WriteAsync(string key, Stream content, long maxBytes, CancellationToken ct);

    /// <summary>A seekable stream of the plaintext, or null when there is no such object.</summary>
    Task<Stream?> OpenReadAsync(string key, CancellationToken ct);

    /// <summary>Removes the object; false when there was none.</summary>
    Task<bool> DeleteAsync(string key, CancellationToken ct);

    /// <summary>
    /// A URL the client can download the object from directly (an S3 presigned GET answering with
    /// <paramref name="contentType"/> and <paramref name="contentDisposition"/>), or null when the
    /// store has none and the API serves the bytes itself under its own signed URL (local files).
    /// </summary>
    ValueTask<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, string contentType, string contentDisposition, CancellationToken ct);

    /// <summary>
    /// A URL the client can PUT exactly <paramref name="size"/> bytes to directly (an S3 presigned
    /// PUT), or null when the API accepts the bytes itself under its own signed URL (local files).
    /// </summary>
    ValueTask<Uri?> GetUploadUrlAsync(string key, long size, TimeSpan validFor, CancellationToken ct);
}

/// <summary>The content was larger than the caller allowed.</summary>
public sealed class BlobTooLargeException(long limit) : Exception($"The content is larger than {limit} bytes.")
{
    public long Limit { get; } = limit;
}

/// <summary>Housekeeping a blob store may need: removing what writes interrupted by a crash left behind.</summary>
public interface IBlobStoreMaintenance
{
    /// <summary>Deletes partial writes and staged direct uploads not touched for <paramref name="idle"/>; returns how many.</summary>
    Task<int> SweepAbandonedWritesAsync(TimeSpan idle, DateTimeOffset now, CancellationToken ct);
}
