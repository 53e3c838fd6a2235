using System.Text;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Infrastructure.TextExtraction;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.UnitTests.Ingestion;

public sealed class DocumentTextExtractorTests
{
    private static readonly DocumentTextExtractor Extractor =
        new ServiceCollection().AddTextExtraction().BuildServiceProvider().GetRequiredService<DocumentTextExtractor>();

    [Theory]
    [InlineData(ContentSniffer.Pdf)]
    [InlineData(ContentSniffer.Docx)]
    [InlineData(ContentSniffer.Html)]
    [InlineData(ContentSniffer.Markdown)]
    [InlineData(ContentSniffer.Text)]
    public void Every_sniffed_content_type_has_an_extractor(string contentType) => Assert.True(Extractor.Supports(contentType));

    [Fact]
    public async Task An_unsupported_content_type_fails_with_a_reason()
    {
        var failure = await Assert.ThrowsAsync<ExtractionFailedException>(() => Extractor.ExtractAsync("image/png", new MemoryStream([1, 2, 3]), new ExtractionLimits(), CancellationToken.None));

        Assert.StartsWith("Text cannot be read from this type of file", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_is_routed_by_content_type()
    {
        var document = await Extractor.ExtractAsync(ContentSniffer.Markdown, Utf8("# Title\n\nBody."), new ExtractionLimits(), CancellationToken.None);

        Assert.Equal(BlockKind.Heading, document.Blocks[0].Kind);
    }

    [Fact]
    public async Task More_characters_than_the_limit_fail_with_the_limit()
    {
        var text = string.Join("\n\n", Enumerable.Repeat("twenty characters ok", 60));

        var failure = await Assert.ThrowsAsync<ExtractionFailedException>(() =>
            Extractor.ExtractAsync(ContentSniffer.Text, Utf8(text), new ExtractionLimits(MaxCharacters: 1_000), CancellationToken.None));

        Assert.Contains("more than 1,000 characters", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_parse_over_the_time_limit_is_abandoned_with_a_reason()
    {
        var html = "<html><body>" + string.Concat(Enumerable.Repeat("<div><p>slow <b>to</b> parse</p></div>", 20_000)) + "</body></html>";

        var failure = await Assert.ThrowsAsync<ExtractionFailedException>(() =>
            Extractor.ExtractAsync(ContentSniffer.Html, Utf8(html), new ExtractionLimits(Timeout: TimeSpan.FromMilliseconds(1)), CancellationToken.None));

        Assert.StartsWith("Reading the document took longer than 1 ms, so it was stopped", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Cancellation_by_the_caller_is_not_an_extraction_failure()
    {
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() =>
            Extractor.ExtractAsync(ContentSniffer.Text, Utf8("text"), new ExtractionLimits(), cancelled.Token));
    }

    private static MemoryStream Utf8(string text) => new(Encoding.UTF8.GetBytes(text));
}
