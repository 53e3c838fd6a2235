using System.Buffers.Binary;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// Word vectors in the compact file <see cref="GloveConverter"/> writes: a 64-byte header (magic,
/// version, word count, dimensions, words length, SHA-256 of the rest), the words in frequency
/// order (UTF-8, one per line), then the vectors as float16 rows, 64-byte aligned. Loaded with
/// one read per part; the vectors stay float16 in memory (68 MB for GloVe 6B 100-d).
/// </summary>
public sealed class GloveVectors
{
    public const int HeaderSize = 64;
    private const int Version = 1;
    private static readonly byte[] Magic = "CSGLOVE\0"u8.ToArray();

    private readonly Half[] _vectors;

    public GloveVectors(IReadOnlyList<string> words, Half[] vectors, int dimensions)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        if (vectors.Length != (long)words.Count * dimensions)
        {
            throw new ArgumentException($"{words.Count} words of {dimensions} dimensions need {(long)words.Count * dimensions} values, not {vectors.Length}.", nameof(vectors));
        }

        Words = words;
        Dimensions = dimensions;
        _vectors = vectors;
    }

    /// <summary>Words by descending corpus frequency: the index is the frequency rank.</summary>
    public IReadOnlyList<string> Words { get; }

    public int Dimensions { get; }

    public ReadOnlySpan<Half> Vector(int index) => _vectors.AsSpan(index * Dimensions, Dimensions);

    public static GloveVectors Load(string path)
    {
        using var file = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.Read, FileOptions.SequentialScan);
        var length = RandomAccess.GetLength(file);
        Span<byte> header = stackalloc byte[HeaderSize];
        if (length < HeaderSize || RandomAccess.Read(file, header, 0) != HeaderSize || !header[..8].SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path} is not a converted word-vector file; run scripts/fetch-glove.sh.");
        }

        var version = BinaryPrimitives.ReadInt32LittleEndian(header[8..]);
        var count = BinaryPrimitives.ReadInt32LittleEndian(header[12..]);
        var dimensions = BinaryPrimitives.ReadInt32LittleEndian(header[16..]);
        var wordsLength = BinaryPrimitives.ReadInt64LittleEndian(header[24..]);
        var vectorsOffset = VectorsOffset(wordsLength);
        if (version != Version || count < 1 || dimensions < 1 || wordsLength < 1 || length != vectorsOffset + (long)count * dimensions * sizeof(short))
        {
            throw new InvalidDataException($"{path} has an unsupported version ({version}) or is truncated; convert it again.");
        }

        var rest = new byte[vectorsOffset - HeaderSize];
        ReadExactly(file, rest, HeaderSize);
        var vectors = new Half[(long)count * dimensions];
        ReadExactly(file, MemoryMarshal.AsBytes(vectors.AsSpan()), vectorsOffset);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        sha.AppendData(rest);
        sha.AppendData(MemoryMarshal.AsBytes(vectors.AsSpan()));
        if (!sha.GetHashAndReset().AsSpan().SequenceEqual(header[32..64]))
        {
            throw new InvalidDataException($"{path} is corrupt (checksum mismatch); delete it and convert again.");
        }

        var words = Encoding.UTF8.GetString(rest.AsSpan(0, (int)wordsLength)).Split('\n');
        if (words.Length != count)
        {
            throw new InvalidDataException($"{path} lists {words.Length} words, its header {count}.");
        }

        return new GloveVectors(words, vectors, dimensions);
    }

    /// <summary>Writes the file atomically (a temporary file renamed into place).</summary>
    public void Save(string path)
    {
        var words = Encoding.UTF8.GetBytes(string.Join('\n', Words));
        var rest = new byte[VectorsOffset(words.Length) - HeaderSize];
        words.CopyTo(rest, 0);
        var vectorBytes = MemoryMarshal.AsBytes(_vectors.AsSpan());

        var header = new byte[HeaderSize];
        Magic.CopyTo(header, 0);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(8), Version);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(12), Words.Count);
        BinaryPrimitives.WriteInt32LittleEndian(header.AsSpan(16), Dimensions);
        BinaryPrimitives.WriteInt64LittleEndian(header.AsSpan(24), words.Length);
        using (var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256))
        {
            sha.AppendData(rest);
            sha.AppendData(vectorBytes);
            sha.GetHashAndReset().CopyTo(header, 32);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None))
        {
            file.Write(header);
            file.Write(rest);
            file.Write(vectorBytes);
            file.Flush(flushToDisk: true);
        }

        File.Move(temporary, path, overwrite: true);
    }

    private static long VectorsOffset(long wordsLength) => (HeaderSize + wordsLength + 63) / 64 * 64;

    private static void ReadExactly(Microsoft.Win32.SafeHandles.SafeFileHandle file, Span<byte> buffer, long offset)
    {
        while (!buffer.IsEmpty)
        {
            var read = RandomAccess.Read(file, buffer, offset);
            if (read == 0)
            {
                throw new EndOfStreamException("The word-vector file ended early.");
            }

            buffer = buffer[read..];
            offset += read;
        }
    }
}
