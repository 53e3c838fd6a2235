using System.Security.Cryptography;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// The plaintext of an encrypted object as a read-only, seekable stream: it decrypts and
/// authenticates one segment at a time, so any size reads in constant memory and a Range request
/// decrypts only the segments it touches. A segment that fails authentication throws
/// <see cref="CryptographicException"/>: tampered bytes are never returned. Asynchronous readers
/// (a download) get the next segment read and decrypted on another thread while they send this
/// one; its failure surfaces only if that segment is then read.
/// </summary>
internal sealed class DecryptingBlobStream : Stream
{
    private readonly FileStream _file;
    private readonly Microsoft.Win32.SafeHandles.SafeFileHandle _handle;
    private readonly BlobHeader _header;
    private readonly AesGcm _aes;
    private readonly int _segmentSize;
    private readonly long _segments;
    private readonly long _length;
    private readonly byte[] _cipher;
    private byte[] _plain;
    private byte[]? _aheadCipher;
    private byte[]? _aheadPlain;
    private Task<int>? _ahead;
    private long _aheadSegment = -1;
    private long _loadedSegment = -1;
    private int _loadedLength;
    private long _position;

    public DecryptingBlobStream(FileStream file, BlobHeader header, byte[] dataKey)
    {
        _file = file;
        _handle = file.SafeFileHandle;
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
            // Synchronous readers (archive parsers that seek about) start no read-ahead; this completes
            // synchronously unless a read-ahead an asynchronous read started is still running.
            LoadAsync(segment, readAhead: false).AsTask().GetAwaiter().GetResult();
        }

        return CopyOut(buffer);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    /// <summary>
    /// Segments are read from the page cache synchronously (microseconds; async file I/O on Linux
    /// only adds a thread-pool hop); the next one is read and decrypted on another thread meanwhile.
    /// </summary>
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        if (_position >= _length || buffer.IsEmpty)
        {
            return 0;
        }

        var segment = _position / _segmentSize;
        if (segment != _loadedSegment)
        {
            await LoadAsync(segment, readAhead: true);
        }

        return CopyOut(buffer.Span);
    }

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
            // A read-ahead still running uses the key and the file: let it end first.
            if (_ahead is { } ahead)
            {
                _ahead = null;
                try
                {
                    ahead.Wait();
                }
                catch (AggregateException)
                {
                    // A segment nobody read: its failure does not matter.
                }
            }

            _aes.Dispose();
            _file.Dispose();
            CryptographicOperations.ZeroMemory(_plain);
            CryptographicOperations.ZeroMemory(_aheadPlain);
        }

        base.Dispose(disposing);
    }

    private (long Offset, int CipherLength, bool Final) Locate(long segment)
    {
        var final = segment == _segments - 1;
        var plainLength = final ? (int)(_length - (segment * _segmentSize)) : _segmentSize;
        return (BlobHeader.Size + (segment * (_segmentSize + BlobHeader.TagSize)), plainLength + BlobHeader.TagSize, final);
    }

    private async ValueTask LoadAsync(long segment, bool readAhead)
    {
        if (!await TakeAheadAsync(segment))
        {
            _loadedSegment = -1;
            _loadedLength = ReadAndDecrypt(segment, _cipher, _plain);
            _loadedSegment = segment;
        }

        if (readAhead && segment + 1 < _segments)
        {
            var next = segment + 1;
            var cipher = _aheadCipher ??= new byte[_cipher.Length];
            var plain = _aheadPlain ??= new byte[_segmentSize];
            _aheadSegment = next;
            _ahead = Task.Run(() => ReadAndDecrypt(next, cipher, plain));
        }
    }

    /// <summary>Ends the read-ahead in flight, if any; true when it was <paramref name="segment"/>, which is then the loaded one.</summary>
    private async ValueTask<bool> TakeAheadAsync(long segment)
    {
        if (_ahead is not { } ahead)
        {
            return false;
        }

        _ahead = null;
        if (_aheadSegment != segment)
        {
            try
            {
                await ahead;
            }
            catch (Exception)
            {
                // Another segment than the one now asked for (the reader sought elsewhere): its failure does not matter.
            }

            return false;
        }

        _loadedSegment = -1;
        _loadedLength = await ahead; // A segment that failed authentication throws here, when it is read.
        (_plain, _aheadPlain) = (_aheadPlain!, _plain);
        _loadedSegment = segment;
        return true;
    }

    /// <summary>Reads one segment at its offset (positional reads, so two threads can share the file) and decrypts it into <paramref name="plain"/>.</summary>
    private int ReadAndDecrypt(long segment, byte[] cipher, byte[] plain)
    {
        var (offset, cipherLength, final) = Locate(segment);
        for (var read = 0; read < cipherLength;)
        {
            var count = RandomAccess.Read(_handle, cipher.AsSpan(read, cipherLength - read), offset + read);
            read += count > 0 ? count : throw new CryptographicException("The object is truncated or corrupt.");
        }

        var plainLength = cipherLength - BlobHeader.TagSize;
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[BlobHeader.ImmutableSize + 5];
        _header.SegmentParameters(segment, final, nonce, aad);
        _aes.Decrypt(nonce, cipher.AsSpan(0, plainLength), cipher.AsSpan(plainLength, BlobHeader.TagSize), plain.AsSpan(0, plainLength), aad);
        return plainLength;
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
