using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Markdig;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Reads Markdown by rendering it with Markdig and reading the HTML: the syntax is gone, structure
/// (headings, nested lists, tables, code) is kept, and raw HTML inside the Markdown gets the same
/// hidden-text checks as an HTML upload.
/// </summary>
public sealed class MarkdownTextExtractor : ITextExtractor
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder().UseAdvancedExtensions().UseYamlFrontMatter().Build();

    public IReadOnlyCollection<string> ContentTypes { get; } = [ContentSniffer.Markdown];

    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionLimits limits, CancellationToken cancellationToken) =>
        ExtractionRun.RunAsync(content, limits, "The Markdown file could not be read.", Read, cancellationToken);

    private static int? Read(Stream content, BlockCollector blocks, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, leaveOpen: true);
        var html = Markdown.ToHtml(reader.ReadToEnd(), Pipeline);
        cancellationToken.ThrowIfCancellationRequested();
        HtmlTextExtractor.ReadHtml(html, blocks);
        return null;
    }
}
