using System.Buffers;
using System.Security.Cryptography;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Storage;
using Cassiopeia.Infrastructure.Security;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// Objects as files on local disk, encrypted at rest with AES-256-GCM in fixed-size segments under
/// a per-object data key wrapped by a master key (envelope encryption; format in <see cref="BlobHeader"/>).
/// No library here offers streaming, seekable authenticated encryption of files, so the segment
/// framing is written by hand on top of the platform's AES-GCM. Writes go to a temporary file that
/// is flushed to disk and renamed into place, so an object is never visible half-written, not even
/// after a crash. With an <see cref="SqliteObjectTable"/> (the embedded profile), objects of at most
/// its <see cref="SqliteObjectTable.MaxBytes"/> are kept, in the same format, as rows of the database
/// instead: no file, no fsync of its own.
/// </summary>
public sealed class EncryptedFileBlobStore : IBlobStore, IBlobStoreMaintenance
{
    /// <summary>About how much content moves through the write pipeline at a time.</summary>
    private const int UnitBytes = 256 * 1024;

    private readonly string _root;
    private readonly IReadOnlyList<RingKey> _masterKeys;
    private readonly int _segmentSize;
    private readonly SqliteObjectTable? _rows;
    private readonly RingKey _current;

    public EncryptedFileBlobStore(string root, IReadOnlyList<RingKey> masterKeys, int segmentSize)
        : this(root, masterKeys, segmentSize, null)
    {
    }

    internal EncryptedFileBlobStore(string root, IReadOnlyList<RingKey> masterKeys, int segmentSize, SqliteObjectTable? rows)
    {
        _root = root;
        _masterKeys = masterKeys;
        _segmentSize = segmentSize;
        _rows = rows;
        _current = masterKeys.Count > 0 ? masterKeys[^1] : throw new ArgumentException("A master key is required.", nameof(masterKeys));
    }

    public async Task<StoredBlob> WriteAsync(string key, Stream content, long maxBytes, CancellationToken ct)
    {
        var path = PathOf(key);
        if (_rows is null)
        {
            return await WriteFileAsync(path, content, maxBytes, ct);
        }

        // Up to one byte more than a row may hold decides where the object goes.
        var limit = _rows.MaxBytes;
        var buffer = ArrayPool<byte>.Shared.Rent(limit + 1);
        var read = 0;
        try
        {
            read = await content.ReadAtLeastAsync(buffer.AsMemory(0, limit + 1), limit + 1, throwOnEndOfStream: false, ct);
            if (read > limit)
            {
                var blob = await WriteFileAsync(path, new PrefixedStream(buffer.AsMemory(0, read), content), maxBytes, ct);
                await _rows.DeleteAsync(key, CancellationToken.None); // an older, smaller object of the same key
                return blob;
            }

            if (read > maxBytes)
            {
                throw new BlobTooLargeException(maxBytes);
            }

            var plain = buffer.AsSpan(0, read);
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(plain));
            await _rows.PutAsync(key, Seal(plain), ct);
            DeleteFile(path); // an older, larger object of the same key
            return new StoredBlob(read, sha256);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(buffer.AsSpan(0, read));
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private async Task<StoredBlob> WriteFileAsync(string path, Stream content, long maxBytes, CancellationToken ct)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        var dataKey = RandomNumberGenerator.GetBytes(32);
        var header = BlobHeader.Create(_segmentSize, _current, dataKey);
        // The content moves in units of a few segments through three rotating buffers: while this
        // thread encrypts and writes one unit, another reads the unit after next from the client and
        // hashes it, so SHA-256 and AES-GCM run on two cores. The second and third buffers are rented
        // only when the content is longer than a unit (most documents are not).
        var segmentsPerUnit = Math.Max(1, UnitBytes / _segmentSize);
        var unitSize = segmentsPerUnit * _segmentSize;
        var buffers = new byte[]?[3];
        var used = new int[3];
        byte[] Buffer(long index) => buffers[index % 3] ??= ArrayPool<byte>.Shared.Rent(unitSize);
        var cipher = ArrayPool<byte>.Shared.Rent(segmentsPerUnit * (_segmentSize + BlobHeader.TagSize));
        var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Task<int> reading = Task.FromResult(0);

        // Units are read (and hashed) strictly in order: each read starts after the previous one ended.
        async Task<int> ReadAndHashAsync(long index)
        {
            var buffer = Buffer(index);
            used[index % 3] = unitSize; // What the buffer may hold until the read completes (wiped at the end).
            var read = await content.ReadAtLeastAsync(buffer.AsMemory(0, unitSize), unitSize, throwOnEndOfStream: false, ct);
            sha.AppendData(buffer, 0, read);
            return read;
        }

        try
        {
            using var aes = new AesGcm(dataKey, BlobHeader.TagSize);
            long size = 0;
            await using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None))
            {
                var handle = file.SafeFileHandle;
                long written = 0, flushedUpTo = 0;
                // Local file writes are synchronous on purpose: they land in the page cache in
                // microseconds, and async file I/O on Linux only adds a thread-pool hop per write.
                file.Write(header.Bytes);
                written += header.Bytes.Length;
                var currentLength = await ReadAndHashAsync(0);
                var nextLength = currentLength == unitSize ? await ReadAndHashAsync(1) : 0;
                for (long index = 0; ; index++)
                {
                    var following = index + 2;
                    reading = nextLength == unitSize ? Task.Run(() => ReadAndHashAsync(following), ct) : Task.FromResult(0);
                    size += currentLength;
                    if (size > maxBytes)
                    {
                        throw new BlobTooLargeException(maxBytes);
                    }

                    var final = nextLength == 0;
                    var cipherLength = EncryptUnit(aes, header, index * segmentsPerUnit, final, Buffer(index).AsSpan(0, currentLength), cipher);
                    file.Write(cipher, 0, cipherLength);
                    written += cipherLength;
                    if (written - flushedUpTo >= Writeback.Stride)
                    {
                        Writeback.Start(handle, flushedUpTo, written - flushedUpTo);
                        flushedUpTo = written;
                    }

                    if (final)
                    {
                        break;
                    }

                    (currentLength, nextLength) = (nextLength, await reading);
                }

                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return new StoredBlob(size, Convert.ToHexStringLower(sha.GetHashAndReset()));
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
        finally
        {
            // A read still in flight writes into a buffer about to go back to the pool: let it end first.
            try
            {
                await reading;
            }
            catch (Exception)
            {
                // Its failure, if any, is already reported by the exception that brought us here.
            }

            sha.Dispose();
            CryptographicOperations.ZeroMemory(dataKey);
            for (var i = 0; i < buffers.Length; i++)
            {
                if (buffers[i] is { } buffer)
                {
                    // Plaintext does not outlive the write: wipe what was used, not the whole unit.
                    CryptographicOperations.ZeroMemory(buffer.AsSpan(0, used[i]));
                    ArrayPool<byte>.Shared.Return(buffer);
                }
            }

            ArrayPool<byte>.Shared.Return(cipher);
        }
    }

    public async Task<Stream?> OpenReadAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        if (_rows is not null && await _rows.GetAsync(key, ct) is { } row)
        {
            return await OpenSealedAsync(new MemoryStream(row, writable: false), ct);
        }

        FileStream file;
        try
        {
            file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read | FileShare.Delete, 1, FileOptions.RandomAccess);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        return await OpenSealedAsync(file, ct);
    }

    public async Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        var path = PathOf(key);
        var deleted = _rows is not null && await _rows.DeleteAsync(key, ct);
        return DeleteFile(path) || deleted;
    }

    public ValueTask<Uri?> GetDownloadUrlAsync(string key, TimeSpan validFor, string contentType, string contentDisposition, CancellationToken ct) => ValueTask.FromResult<Uri?>(null);

    public ValueTask<Uri?> GetUploadUrlAsync(string key, long size, TimeSpan validFor, CancellationToken ct) => ValueTask.FromResult<Uri?>(null);

    /// <summary>
    /// Re-wraps every object's data key under the newest master key (after a rotation), each file
    /// replaced atomically. Returns how many objects changed.
    /// </summary>
    public async Task<int> RewrapAllAsync(CancellationToken ct)
    {
        var changed = 0;
        if (_rows is { } rows)
        {
            foreach (var key in await rows.KeysAsync(ct))
            {
                ct.ThrowIfCancellationRequested();
                if (await rows.GetAsync(key, ct) is { } row && Rewrap(row))
                {
                    await rows.PutAsync(key, row, ct);
                    changed++;
                }
            }
        }

        if (!Directory.Exists(_root))
        {
            return changed;
        }

        foreach (var path in Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories).Where(p => !p.EndsWith(".tmp", StringComparison.Ordinal)))
        {
            ct.ThrowIfCancellationRequested();
            if (await RewrapAsync(path, ct))
            {
                changed++;
            }
        }

        return changed;
    }

    /// <summary>
    /// Temporary files are never visible as objects (a write becomes visible only by its final
    /// rename), but a crash mid-write leaves one behind. A write in progress touches its file with
    /// every segment, so a file idle for <paramref name="idle"/> belongs to no running write.
    /// </summary>
    public Task<int> SweepAbandonedWritesAsync(TimeSpan idle, DateTimeOffset now, CancellationToken ct) => Task.FromResult(SweepAbandonedWrites(idle, now));

    private int SweepAbandonedWrites(TimeSpan idle, DateTimeOffset now)
    {
        if (!Directory.Exists(_root))
        {
            return 0;
        }

        var removed = 0;
        foreach (var path in Directory.EnumerateFiles(_root, "*.tmp", SearchOption.AllDirectories))
        {
            if (now - File.GetLastWriteTimeUtc(path) > idle)
            {
                try
                {
                    File.Delete(path);
                    removed++;
                }
                catch (IOException)
                {
                    // Gone meanwhile or still held: the next sweep decides again.
                }
            }
        }

        return removed;
    }

    /// <summary>Encrypts consecutive segments, the first numbered <paramref name="firstSegment"/>, each followed by its tag; returns the bytes written.</summary>
    private int EncryptUnit(AesGcm aes, BlobHeader header, long firstSegment, bool lastIsFinal, ReadOnlySpan<byte> plain, Span<byte> output)
    {
        var written = 0;
        var segment = firstSegment;
        do
        {
            var length = Math.Min(_segmentSize, plain.Length);
            var final = lastIsFinal && length == plain.Length;
            EncryptSegment(aes, header, segment++, final, plain[..length], output[written..]);
            written += length + BlobHeader.TagSize;
            plain = plain[length..];
        }
        while (!plain.IsEmpty);

        return written;
    }

    internal static void EncryptSegment(AesGcm aes, BlobHeader header, long index, bool final, ReadOnlySpan<byte> plain, Span<byte> output)
    {
        Span<byte> nonce = stackalloc byte[12];
        Span<byte> aad = stackalloc byte[BlobHeader.ImmutableSize + 5];
        header.SegmentParameters(index, final, nonce, aad);
        aes.Encrypt(nonce, plain, output[..plain.Length], output.Slice(plain.Length, BlobHeader.TagSize), aad);
    }

    private async Task<bool> RewrapAsync(string path, CancellationToken ct)
    {
        var temporary = $"{path}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}.tmp";
        await using (var source = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.None))
        {
            var headerBytes = new byte[BlobHeader.Size];
            await source.ReadExactlyAsync(headerBytes, ct);
            var header = BlobHeader.Parse(headerBytes);
            if (!Rewrap(header))
            {
                return false;
            }

            await using var target = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.None);
            await target.WriteAsync(header.Bytes.ToArray(), ct);
            await source.CopyToAsync(target, ct);
            target.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
        return true;
    }

    /// <summary>The whole object in the file format (header, then each segment with its tag) under a fresh data key.</summary>
    private byte[] Seal(ReadOnlySpan<byte> plain)
    {
        var dataKey = RandomNumberGenerator.GetBytes(32);
        try
        {
            var header = BlobHeader.Create(_segmentSize, _current, dataKey);
            var segments = Math.Max(1, (plain.Length + _segmentSize - 1) / _segmentSize);
            var output = new byte[BlobHeader.Size + plain.Length + (segments * BlobHeader.TagSize)];
            header.Bytes.CopyTo(output);
            using var aes = new AesGcm(dataKey, BlobHeader.TagSize);
            EncryptUnit(aes, header, 0, lastIsFinal: true, plain, output.AsSpan(BlobHeader.Size));
            return output;
        }
        finally
        {
            CryptographicOperations.ZeroMemory(dataKey);
        }
    }

    /// <summary>The plaintext of an object in the file format, from a file or a row; disposes <paramref name="sealedObject"/> on failure.</summary>
    private async Task<Stream> OpenSealedAsync(Stream sealedObject, CancellationToken ct)
    {
        try
        {
            var headerBytes = new byte[BlobHeader.Size];
            await sealedObject.ReadExactlyAsync(headerBytes, ct);
            var header = BlobHeader.Parse(headerBytes);
            return new DecryptingBlobStream(sealedObject, header, header.Unwrap(MasterOf(header)));
        }
        catch
        {
            await sealedObject.DisposeAsync();
            throw;
        }
    }

    /// <summary>Re-wraps the data key in a row's header under the newest master key; false when it already was.</summary>
    private bool Rewrap(byte[] row)
    {
        var header = BlobHeader.Parse(row.AsSpan(0, BlobHeader.Size));
        if (!Rewrap(header))
        {
            return false;
        }

        header.Bytes.CopyTo(row);
        return true;
    }

    /// <summary>Re-wraps the data key of <paramref name="header"/> under the newest master key; false when it already was.</summary>
    private bool Rewrap(BlobHeader header)
    {
        if (header.MasterKeyId == _current.Id)
        {
            return false;
        }

        var dataKey = header.Unwrap(MasterOf(header));
        header.Wrap(_current, dataKey);
        CryptographicOperations.ZeroMemory(dataKey);
        return true;
    }

    private RingKey MasterOf(BlobHeader header) =>
        _masterKeys.FirstOrDefault(k => k.Id == header.MasterKeyId)
            ?? throw new CryptographicException($"The master key '{header.MasterKeyId}' of this object is not in the key ring.");

    private static bool DeleteFile(string path)
    {
        if (!File.Exists(path))
        {
            return false;
        }

        File.Delete(path);
        return true;
    }

    private string PathOf(string key) => Path.Combine(_root, ObjectKeys.Check(key));

    /// <summary>What was already read from a stream, then the rest of it: a read-only, forward-only stream.</summary>
    private sealed class PrefixedStream(ReadOnlyMemory<byte> prefix, Stream rest) : ForwardReadStream
    {
        private ReadOnlyMemory<byte> _prefix = prefix;

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_prefix.IsEmpty)
            {
                return rest.Read(buffer);
            }

            var count = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..count].CopyTo(buffer);
            _prefix = _prefix[count..];
            return count;
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_prefix.IsEmpty)
            {
                return await rest.ReadAsync(buffer, cancellationToken);
            }

            var count = Math.Min(buffer.Length, _prefix.Length);
            _prefix.Span[..count].CopyTo(buffer.Span);
            _prefix = _prefix[count..];
            return count;
        }
    }
}
