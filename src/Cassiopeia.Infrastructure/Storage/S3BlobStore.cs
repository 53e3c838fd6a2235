using System.Buffers;
using System.Net;
using System.Security.Cryptography;
using Amazon.S3;
using Amazon.S3.Model;
using Cassiopeia.Core.Storage;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// Objects in an S3-compatible bucket (scale-out profile). Writes stream in parts of
/// <see cref="S3StorageOptions.PartSize"/>: content that fits one part is a single PUT, larger
/// content a multipart upload (one part uploading while the next is read, so memory stays at two
/// parts), aborted on any failure, cancellation or overflow. Both kinds become visible only when they
/// complete, so no reader ever sees a partial object. Encryption at rest is the service's
/// (SSE-S3 or SSE-KMS, <see cref="S3StorageOptions.ServerSideEncryption"/>); SHA-256 and size are
/// computed here as the bytes pass, like the file store.
/// </summary>
public sealed partial class S3BlobStore(IAmazonS3 s3, S3StorageOptions options, ILogger<S3BlobStore> logger) : IBlobStore, IBlobStoreMaintenance
{
    private readonly string _bucket = options.Bucket ?? throw new ArgumentException("Storage:S3:Bucket is required.", nameof(options));

    public async Task<StoredBlob> WriteAsync(string key, Stream content, long maxBytes, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        var partSize = options.PartSize;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffers = new[] { ArrayPool<byte>.Shared.Rent(partSize), ArrayPool<byte>.Shared.Rent(partSize) };
        string? uploadId = null;
        Task<PartETag>? uploading = null;
        long size = 0;
        try
        {
            async Task<int> ReadPartAsync(byte[] buffer)
            {
                var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, partSize), partSize, throwOnEndOfStream: false, ct);
                size += read;
                if (size > maxBytes)
                {
                    throw new BlobTooLargeException(maxBytes);
                }

                sha.AppendData(buffer, 0, read);
                return read;
            }

            var first = await ReadPartAsync(buffers[0]);
            var second = first == partSize ? await ReadPartAsync(buffers[1]) : 0;
            if (second == 0)
            {
                await PutAsync(objectKey, buffers[0], first, ct);
                return new StoredBlob(size, Convert.ToHexStringLower(sha.GetHashAndReset()));
            }

            var initiate = new InitiateMultipartUploadRequest { BucketName = _bucket, Key = objectKey };
            ApplyEncryption(initiate);
            uploadId = (await s3.InitiateMultipartUploadAsync(initiate, ct)).UploadId;
            var etags = new List<PartETag>();
            uploading = UploadPartAsync(objectKey, uploadId, 1, buffers[0], first, ct);
            var (current, length, number) = (1, second, 2);
            while (true)
            {
                etags.Add(await uploading);
                uploading = null;
                if (length == 0)
                {
                    break;
                }

                uploading = UploadPartAsync(objectKey, uploadId, number++, buffers[current], length, ct);
                if (length < partSize)
                {
                    etags.Add(await uploading);
                    uploading = null;
                    break;
                }

                current ^= 1;
                length = await ReadPartAsync(buffers[current]);
            }

            await s3.CompleteMultipartUploadAsync(new CompleteMultipartUploadRequest { BucketName = _bucket, Key = objectKey, UploadId = uploadId, PartETags = etags }, ct);
            uploadId = null;
            return new StoredBlob(size, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch when (uploadId is not null)
        {
            await AbortAsync(objectKey, uploadId, uploading);
            throw;
        }
        finally
        {
            foreach (var buffer in buffers)
            {
                CryptographicOperations.ZeroMemory(buffer.AsSpan(0, partSize));
                ArrayPool<byte>.Shared.Return(buffer);
            }
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        var head = await HeadAsync(objectKey, ct);
        return head is null ? null : new S3ObjectReadStream(s3, _bucket, objectKey, head.ContentLength, head.ETag);
    }

    /// <summary>S3 deletes answer alike whether or not the object existed, so a HEAD tells which.</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        var objectKey = ObjectKey(key);
        if (await HeadAsync(objectKey, ct) is null)
        {
            return false;
        }

        await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = objectKey }, ct);
        return true;
    }

    public async ValueTask<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, string contentType, string contentDisposition, CancellationToken ct)
    {
        if (!options.PresignedDownloads)
        {
            return null;
        }

        var request = Presign(key, HttpVerb.GET, validFor);
        request.ResponseHeaderOverrides.ContentType = contentType;
        request.ResponseHeaderOverrides.ContentDisposition = contentDisposition;
        request.ResponseHeaderOverrides.CacheControl = "private, no-store";
        return new Uri(await s3.GetPreSignedURLAsync(request));
    }

    /// <summary>
    /// A presigned PUT whose signature covers the content length, so the service refuses any other
    /// size; the caller still checks the stored size before using the object. SSE headers are not
    /// signed (the client would have to send them): the bucket's default encryption covers direct
    /// uploads, and the copy into place applies the configured encryption.
    /// </summary>
    public async ValueTask<Uri?> GetUploadUrlAsync(string key, long size, TimeSpan validFor, CancellationToken ct)
    {
        if (!options.PresignedUploads)
        {
            return null;
        }

        var request = Presign(key, HttpVerb.PUT, validFor);
        request.Headers.ContentLength = size;
        return new Uri(await s3.GetPreSignedURLAsync(request));
    }

    /// <summary>
    /// Removes what interrupted work left in the bucket: multipart uploads a crashed process never
    /// completed or aborted (they hold storage while invisible), and direct uploads staged but never
    /// completed. A bucket lifecycle rule does the same as a second line (docs/deployment.md).
    /// </summary>
    public async Task<int> SweepAbandonedWritesAsync(TimeSpan idle, DateTimeOffset now, CancellationToken ct)
    {
        var cutoff = (now - idle).UtcDateTime;
        var removed = 0;
        var uploads = await s3.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = _bucket, Prefix = options.Prefix }, ct);
        foreach (var upload in uploads.MultipartUploads ?? [])
        {
            if (upload.Initiated is { } initiated && initiated.ToUniversalTime() < cutoff)
            {
                await AbortAsync(upload.Key, upload.UploadId, null);
                removed++;
            }
        }

        var staged = new ListObjectsV2Request { BucketName = _bucket, Prefix = options.Prefix + BlobKeys.StagingPrefix };
        ListObjectsV2Response page;
        do
        {
            page = await s3.ListObjectsV2Async(staged, ct);
            foreach (var item in page.S3Objects ?? [])
            {
                if (item.LastModified is { } modified && modified.ToUniversalTime() < cutoff)
                {
                    await s3.DeleteObjectAsync(new DeleteObjectRequest { BucketName = _bucket, Key = item.Key }, ct);
                    removed++;
                }
            }

            staged.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return removed;
    }

    /// <summary>For readiness: the bucket exists and answers these credentials (a cheap bucket-level call, whatever the bucket holds).</summary>
    public async Task CheckReachableAsync(CancellationToken ct) =>
        await s3.GetBucketLocationAsync(new GetBucketLocationRequest { BucketName = _bucket }, ct);

    private GetPreSignedUrlRequest Presign(string key, HttpVerb verb, TimeSpan validFor)
    {
        var request = new GetPreSignedUrlRequest
        {
            BucketName = _bucket,
            Key = ObjectKey(key),
            Verb = verb,
            Expires = DateTime.UtcNow + validFor,
        };
        if (options.ServiceUrl is { } url && url.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            request.Protocol = Protocol.HTTP;
        }

        return request;
    }

    // Bodies are whole in memory, so they are signed outright rather than sent in signed chunks
    // (aws-chunked), which several S3-compatible services store verbatim instead of decoding.
    private async Task PutAsync(string objectKey, byte[] buffer, int length, CancellationToken ct)
    {
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        var request = new PutObjectRequest { BucketName = _bucket, Key = objectKey, InputStream = body, AutoCloseStream = false, UseChunkEncoding = false };
        ApplyEncryption(request);
        await s3.PutObjectAsync(request, ct);
    }

    private async Task<PartETag> UploadPartAsync(string objectKey, string uploadId, int number, byte[] buffer, int length, CancellationToken ct)
    {
        using var body = new MemoryStream(buffer, 0, length, writable: false);
        var response = await s3.UploadPartAsync(new UploadPartRequest { BucketName = _bucket, Key = objectKey, UploadId = uploadId, PartNumber = number, InputStream = body, PartSize = length, UseChunkEncoding = false }, ct);
        return new PartETag(number, response.ETag);
    }

    /// <summary>Best effort: an upload that cannot be aborted now is invisible anyway, and the sweep or the lifecycle rule removes it later.</summary>
    private async Task AbortAsync(string objectKey, string uploadId, Task? uploading)
    {
        if (uploading is not null)
        {
            try
            {
                await uploading;
            }
            catch (Exception)
            {
                // The part's own failure, if any, is what brought us here.
            }
        }

        try
        {
            await s3.AbortMultipartUploadAsync(new AbortMultipartUploadRequest { BucketName = _bucket, Key = objectKey, UploadId = uploadId }, CancellationToken.None);
        }
        catch (AmazonS3Exception e)
        {
            LogAbortFailed(logger, objectKey, e);
        }
    }

    private async Task<GetObjectMetadataResponse?> HeadAsync(string objectKey, CancellationToken ct)
    {
        try
        {
            return await s3.GetObjectMetadataAsync(new GetObjectMetadataRequest { BucketName = _bucket, Key = objectKey }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound)
        {
            return null;
        }
    }

    private void ApplyEncryption(PutObjectRequest request)
    {
        if (Encryption() is { } method)
        {
            request.ServerSideEncryptionMethod = method;
            request.ServerSideEncryptionKeyManagementServiceKeyId = method == ServerSideEncryptionMethod.AWSKMS ? options.KmsKeyId : null;
        }
    }

    private void ApplyEncryption(InitiateMultipartUploadRequest request)
    {
        if (Encryption() is { } method)
        {
            request.ServerSideEncryptionMethod = method;
            request.ServerSideEncryptionKeyManagementServiceKeyId = method == ServerSideEncryptionMethod.AWSKMS ? options.KmsKeyId : null;
        }
    }

    private ServerSideEncryptionMethod? Encryption() => options.ServerSideEncryption switch
    {
        "AES256" => ServerSideEncryptionMethod.AES256,
        "aws:kms" => ServerSideEncryptionMethod.AWSKMS,
        _ => null,
    };

    private string ObjectKey(string key) => options.Prefix + ObjectKeys.Check(key);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Aborting the multipart upload of {Key} failed; the sweep removes it later")]
    private static partial void LogAbortFailed(ILogger logger, string key, Exception exception);
}
