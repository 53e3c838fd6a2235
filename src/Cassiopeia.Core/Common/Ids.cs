namespace Cassiopeia.Core.Common;

/// <summary>
/// Opaque, prefixed identifiers (<c>usr_…</c>, <c>org_…</c>). The body is a UUIDv7 in lower-case
/// Crockford base32, so identifiers sort by creation time as ordinal strings, which keyset
/// pagination relies on, and the prefix tells a reader (or a log) what kind of thing it names.
/// </summary>
public static class Ids
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    /// <summary>Longest identifier accepted from a client; anything longer cannot exist.</summary>
    public const int MaxLength = 40;

    public static string New(string prefix)
    {
        Span<byte> bytes = stackalloc byte[16];
        Guid.CreateVersion7().TryWriteBytes(bytes, bigEndian: true, out _);
        return string.Create(prefix.Length + 1 + 26, (prefix, bytes.ToArray()), static (span, state) =>
        {
            state.prefix.AsSpan().CopyTo(span);
            span[state.prefix.Length] = '_';
            Encode(state.Item2, span[(state.prefix.Length + 1)..]);
        });
    }

    /// <summary>
    /// A stable identifier derived from <paramref name="seed"/> (the first 128 bits of its SHA-256):
    /// the same seed always yields the same id, which keeps ids of re-derived rows (chunks) stable.
    /// </summary>
    public static string Derived(string prefix, string seed)
    {
        Span<byte> hash = stackalloc byte[32];
        System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(seed), hash);
        Span<char> body = stackalloc char[26];
        Encode(hash[..16], body);
        return $"{prefix}_{body}";
    }

    /// <summary>Base32 of 128 bits, most significant first, into 26 characters.</summary>
    private static void Encode(ReadOnlySpan<byte> value, Span<char> destination)
    {
        var high = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(value);
        var low = System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(value[8..]);
        var number = ((UInt128)high << 64) | low;
        for (var i = destination.Length - 1; i >= 0; i--)
        {
            destination[i] = Alphabet[(int)(number & 31)];
            number >>= 5;
        }
    }
}
