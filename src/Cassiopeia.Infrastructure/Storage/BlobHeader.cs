using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Cassiopeia.Infrastructure.Security;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// The fixed 112-byte header of an encrypted object (envelope encryption):
/// <code>
///  0  "CSB1"              magic
///  4  1                   version, then 3 reserved bytes
///  8  int32 LE            plaintext segment size
/// 12  8 bytes             segment nonce prefix (random per object)
///     — bytes 0..20 are immutable and authenticated with every segment —
/// 20  32 bytes            master key id, ASCII, zero-padded
/// 52  12 bytes            nonce of the wrapped data key
/// 64  32 bytes            data key wrapped with AES-256-GCM under the master key
/// 96  16 bytes            its tag
/// </code>
/// Segments follow: each AES-256-GCM ciphertext of one plaintext segment plus a 16-byte tag, with
/// nonce = prefix ‖ uint32 BE index and AAD = immutable header ‖ index ‖ final flag, so segments
/// cannot be reordered, dropped or the object truncated without failing authentication. The
/// master key can rotate by rewriting only the wrapped data key.
/// </summary>
internal sealed class BlobHeader
{
    public const int Size = 112;
    public const int TagSize = 16;
    public const int ImmutableSize = 20;
    private const int KeyIdSize = 32;
    private static ReadOnlySpan<byte> Magic => "CSB1"u8;

    private readonly byte[] _bytes;

    private BlobHeader(byte[] bytes) => _bytes = bytes;

    public int SegmentSize => BinaryPrimitives.ReadInt32LittleEndian(_bytes.AsSpan(8));

    public string MasterKeyId => Encoding.ASCII.GetString(_bytes.AsSpan(20, KeyIdSize)).TrimEnd('\0');

    public ReadOnlySpan<byte> Bytes => _bytes;

    public static BlobHeader Create(int segmentSize, RingKey master, byte[] dataKey)
    {
        var bytes = new byte[Size];
        Magic.CopyTo(bytes);
        bytes[4] = 1;
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(8), segmentSize);
        RandomNumberGenerator.Fill(bytes.AsSpan(12, 8));
        var header = new BlobHeader(bytes);
        header.Wrap(master, dataKey);
        return header;
    }

    public static BlobHeader Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < Size || !bytes[..4].SequenceEqual(Magic) || bytes[4] != 1)
        {
            throw new CryptographicException("Not an encrypted object of a known version.");
        }

        var header = new BlobHeader(bytes[..Size].ToArray());
        return header.SegmentSize is < 1024 or > 64 * 1024 * 1024
            ? throw new CryptographicException("The object header is corrupt.")
            : header;
    }

    /// <summary>Replaces the wrapped data key (and key id) by the same data key under <paramref name="master"/>.</summary>
    public void Wrap(RingKey master, byte[] dataKey)
    {
        var keyId = Encoding.ASCII.GetBytes(master.Id);
        if (keyId.Length > KeyIdSize)
        {
            throw new ArgumentException("Master key ids have at most 32 ASCII characters.", nameof(master));
        }

        Array.Clear(_bytes, 20, KeyIdSize);
        keyId.CopyTo(_bytes, 20);
        RandomNumberGenerator.Fill(_bytes.AsSpan(52, 12));
        using var aes = new AesGcm(master.Key, TagSize);
        aes.Encrypt(_bytes.AsSpan(52, 12), dataKey, _bytes.AsSpan(64, 32), _bytes.AsSpan(96, TagSize), WrapAad());
    }

    public byte[] Unwrap(RingKey master)
    {
        var dataKey = new byte[32];
        using var aes = new AesGcm(master.Key, TagSize);
        aes.Decrypt(_bytes.AsSpan(52, 12), _bytes.AsSpan(64, 32), _bytes.AsSpan(96, TagSize), dataKey, WrapAad());
        return dataKey;
    }

    /// <summary>Nonce and associated data of segment <paramref name="index"/>.</summary>
    public void SegmentParameters(long index, bool final, Span<byte> nonce, Span<byte> aad)
    {
        if (index > uint.MaxValue)
        {
            throw new CryptographicException("The object has too many segments.");
        }

        _bytes.AsSpan(12, 8).CopyTo(nonce);
        BinaryPrimitives.WriteUInt32BigEndian(nonce[8..], (uint)index);
        _bytes.AsSpan(0, ImmutableSize).CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[ImmutableSize..], (uint)index);
        aad[ImmutableSize + 4] = final ? (byte)1 : (byte)0;
    }

    private byte[] WrapAad() => [.. _bytes.AsSpan(0, ImmutableSize), .. _bytes.AsSpan(20, KeyIdSize)];
}
