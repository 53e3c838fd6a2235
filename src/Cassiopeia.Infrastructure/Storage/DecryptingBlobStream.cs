using System.Security.Cryptography;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// The plaintext of an encrypted object as a read-only, seekable stream: it decrypts and
/// authenticates one segment at a time, so any size reads in constant memory and a Range request
/// decrypts only the segments it touches. A segment that fails authentication throws
/// <see cref="CryptographicException"/>: tampered bytes are never returned.
/// </summary>
internal sealed class DecryptingBlobStream : Stream
{
    private readonly Stream _file;
    private readonly BlobHeader _header;
    private readonly AesGcm _aes;
    private readonly int _segmentSize;
    private readonly long _segments;
    private readonly long _length;
    private readonly byte[] _cipher;
    private readonly byte[] _plain;
    private long _loadedSegment = -1;
    private int _loadedLength;
    private long _position;

    public DecryptingBlobStream(Stream file, BlobHeader header, byte[] dataKey)
    {
        _file = file;
        _header = header;
        _aes = new AesGcm(dataKey, BlobHeader.TagSize);
        CryptographicOperations.ZeroMemory(dataKey);
        _segmentSize = header.SegmentSize;
        var stride = _segmentSize + BlobHeader.TagSize;
        var body = file.Length - BlobHeader.Size;
        _segments = Math.Max(1, (body + stride - 1) / stride);
        var last = body - ((_segments - 1) * stride) - BlobHeader.TagSize;
        if (body < BlobHeader.TagSize || last < 0 || last > _segmentSize || (last == 0 && _segments > 1))
        {
            throw new CryptographicException("The object is truncated or corrupt.");
        }

        _length = ((_segments - 1) * _segmentSize) + last;
        _cipher = new byte[stride];
        _plain = new byte[_segmentSize];
    }

    public override bool CanRead => true;

    public override bool CanSeek => true;

    public override bool CanWrite => false;

    public override long Length => _length;

    public override long Position
    {
        get => _position;
        set => _position = value >= 0 ? value : throw new ArgumentOutOfRangeException(nameof(value));
    }

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        if (_position >= _length || buffer.IsEmpty)
        {
            return 0;
        }

        var segment = _position / _segmentSize;
        if (segment != _loadedSegment)
        {
            var (offset, length, final) = Locate(segment);
            _file.Position = offset;
            _file.ReadExactly(_cipher, 0, length);
            var plainLength = length - BlobHeader.TagSize;
            if (_position == segment * _segmentSize && buffer.Length >= plainLength)
            {
                // A whole segment asked for (a sequential read of the file): decrypted straight into
                // the caller's buffer, one copy fewer. AES-GCM clears it if authentication fails.
                Decrypt(segment, length, final, buffer[..plainLength]);
                _position += plainLength;
                return plainLength;
            }

            Decrypt(segment, length, final, _plain.AsSpan(0, plainLength));
            _loadedSegment = segment;
            _loadedLength = plainLength;
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Synchronous underneath on purpose: a page-cache read and an AES-GCM segment take microseconds,
    /// and async file I/O on Linux would only add a thread-pool hop per segment.
    /// </summary>
    public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default) =>
        ValueTask.FromResult(Read(buffer.Span));

    public override long Seek(long offset, SeekOrigin origin) => Position = origin switch
    {
        SeekOrigin.Begin => offset,
        SeekOrigin.Current => _position + offset,
        SeekOrigin.End => _length + offset,
        _ => throw new ArgumentOutOfRangeException(nameof(origin)),
    };

    public override void Flush()
    {
    }

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _aes.Dispose();
            _file.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
        }

        base.Dispose(disposing);
    }

    private (long Offset, int CipherLength, bool Final) Locate(long segment)
    {
        var final = segment == _segments - 1;
        var plainLength = final ? (int)(_length - (segment * _segmentSize)) : _segmentSize;
        return (BlobHeader.Size + (segment * (_segmentSize + BlobHeader.TagSize)), plainLength + BlobHeader.TagSize, final);
    }

    private void Decrypt(long segment, int cipherLength, bool final, Span<byte> plain)
    {
        var plainLength = cipherLength - BlobHeader.TagSize;
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[BlobHeader.ImmutableSize + 5];
        _header.SegmentParameters(segment, final, nonce, aad);
        _loadedSegment = -1;
        _aes.Decrypt(nonce, _cipher.AsSpan(0, plainLength), _cipher.AsSpan(plainLength, BlobHeader.TagSize), plain, aad);
    }

    private int CopyOut(Span<byte> buffer)
    {
        var offset = (int)(_position - (_loadedSegment * _segmentSize));
        var count = Math.Min(buffer.Length, _loadedLength - offset);
        _plain.AsSpan(offset, count).CopyTo(buffer);
        _position += count;
        return count;
    }
}
