using System.Net;
using Amazon.S3;
using Amazon.S3.Model;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// A seekable read of one S3 object: each read continues one ranged GET from the current position,
/// and a seek drops it so the next read starts a new one there. Every GET is pinned to the ETag seen
/// when the object was opened, so a replaced object fails the read instead of mixing two versions.
/// </summary>
internal sealed class S3ObjectReadStream(IAmazonS3 s3, string bucket, string key, long length, string etag) : Stream
{
    private GetObjectResponse? _response;
    private long _position;

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => length;

    public override long Position
    {
        get => _position;
        set => Seek(value, SeekOrigin.Begin);
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= length || buffer.Length == 0)
        {
            return 0;
        }

        _response ??= await OpenAsync(cancellationToken);
        var read = await _response.ResponseStream.ReadAsync(buffer, cancellationToken);
        if (read == 0)
        {
            throw new IOException($"The object {key} ended at {_position} of {length} bytes.");
        }

        _position += read;
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>Synchronous reads block on the asynchronous one; callers here read asynchronously (ASP.NET, the sniffer and extractors on worker threads).</summary>
    public override int Read(byte[] buffer, int offset, int count) => ReadAsync(buffer.AsMemory(offset, count)).AsTask().GetAwaiter().GetResult();

    public override long Seek(long offset, SeekOrigin origin)
    {
        var target = origin switch
        {
            SeekOrigin.Begin => offset,
            SeekOrigin.Current => _position + offset,
            SeekOrigin.End => length + offset,
            _ => throw new ArgumentOutOfRangeException(nameof(origin)),
        };
        ArgumentOutOfRangeException.ThrowIfNegative(target, nameof(offset));
        if (target != _position)
        {
            Drop();
            _position = target;
        }

        return _position;
    }

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            Drop();
        }

        base.Dispose(disposing);
    }

    private async Task<GetObjectResponse> OpenAsync(CancellationToken ct)
    {
        try
        {
            return await s3.GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key, ByteRange = new ByteRange(_position, length - 1), EtagToMatch = etag }, ct);
        }
        catch (AmazonS3Exception e) when (e.StatusCode is HttpStatusCode.NotFound or HttpStatusCode.PreconditionFailed)
        {
            throw new IOException($"The object {key} was removed or replaced while it was being read.", e);
        }
    }

    private void Drop()
    {
        _response?.Dispose();
        _response = null;
    }
}
