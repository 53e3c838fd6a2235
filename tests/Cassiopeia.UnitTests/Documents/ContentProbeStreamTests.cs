using System.Text;
using Cassiopeia.Core.Documents;

namespace Cassiopeia.UnitTests.Documents;

public sealed class ContentProbeStreamTests
{
    private static readonly byte[] Multilingual = Encoding.UTF8.GetBytes("résumé 履歴書 😀 naïve — ok\n" + string.Concat(Enumerable.Repeat("Ünïcödé 𝄞 ", 3000)));

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(5)]
    [InlineData(4096)]
    public void Valid_utf8_split_at_any_boundary_is_text_and_passes_through_unchanged(int chunk)
    {
        var (probe, copy) = ReadAll(Multilingual, chunk);
        Assert.True(probe.IsText);
        Assert.Equal(Multilingual, copy);
        Assert.Equal(Multilingual.AsSpan(0, ContentProbeStream.HeadSize).ToArray(), probe.Head.ToArray());
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xC3, 0x28, 0x62 })]
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 })]
    [InlineData(new byte[] { 0x61, 0x00, 0x62 })]
    [InlineData(new byte[] { 0x61, 0xE5, 0xB1 })]
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })]
    public void Invalid_utf8_nul_bytes_and_a_truncated_last_sequence_are_not_text(byte[] bytes)
    {
        for (var chunk = 1; chunk <= bytes.Length; chunk++)
        {
            Assert.False(ReadAll(bytes, chunk).Probe.IsText);
        }
    }

    private static (ContentProbeStream Probe, byte[] Copy) ReadAll(byte[] bytes, int chunk)
    {
        var probe = new ContentProbeStream(new ChunkedStream(bytes, chunk));
        var copy = new MemoryStream();
        probe.CopyTo(copy);
        return (probe, copy.ToArray());
    }

    /// <summary>Returns at most <c>chunk</c> bytes per read, like a slow network.</summary>
    private sealed class ChunkedStream(byte[] bytes, int chunk) : MemoryStream(bytes)
    {
        public override int Read(byte[] buffer, int offset, int count) => base.Read(buffer, offset, Math.Min(count, chunk));
    }
}
