using System.Text.Unicode;
using Cassiopeia.Core.Common;

namespace Cassiopeia.Core.Documents;

/// <summary>
/// Passes an upload through unchanged while learning what the sniffer needs of text — the first
/// bytes, whether any byte is NUL, whether the whole is valid UTF-8 — so a text upload is not read
/// back and decrypted a second time just to be classified.
/// </summary>
public sealed class ContentProbeStream(Stream inner) : ForwardReadStream
{
    public const int HeadSize = 16 * 1024;

    private readonly byte[] _head = new byte[HeadSize];
    private readonly byte[] _carry = new byte[4];
    private int _headLength;
    private int _carryLength;
    private bool _invalid;

    public ReadOnlySpan<byte> Head => _head.AsSpan(0, _headLength);

    /// <summary>True when everything read was UTF-8 without NUL bytes (call after the last read).</summary>
    public bool IsText => !_invalid && _carryLength == 0;

    public override int Read(byte[] buffer, int offset, int count) => Inspect(buffer.AsSpan(offset, inner.Read(buffer, offset, count)));

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await inner.ReadAsync(buffer, cancellationToken);
        return Inspect(buffer.Span[..read]);
    }

    private int Inspect(ReadOnlySpan<byte> bytes)
    {
        var copied = Math.Min(bytes.Length, HeadSize - _headLength);
        bytes[..copied].CopyTo(_head.AsSpan(_headLength));
        _headLength += copied;
        if (_invalid || bytes.IsEmpty)
        {
            return bytes.Length;
        }

        if (bytes.Contains((byte)0))
        {
            _invalid = true;
            return bytes.Length;
        }

        var rest = bytes;
        if (_carryLength > 0)
        {
            // Finish the sequence split across the previous read first.
            var needed = SequenceLength(_carry[0]) - _carryLength;
            var taken = Math.Min(needed, rest.Length);
            rest[..taken].CopyTo(_carry.AsSpan(_carryLength));
            _carryLength += taken;
            rest = rest[taken..];
            if (taken < needed)
            {
                return bytes.Length;
            }

            _invalid = !Utf8.IsValid(_carry.AsSpan(0, _carryLength));
            _carryLength = 0;
        }

        var tail = ContentSniffer.IncompleteTail(rest);
        _invalid |= !Utf8.IsValid(rest[..^tail]);
        rest[^tail..].CopyTo(_carry);
        _carryLength = tail;
        return bytes.Length;
    }

    private static int SequenceLength(byte lead) => lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
}
