using AngleSharp.Html.Parser;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>Reads HTML with AngleSharp (the HTML5 parsing algorithm, so any tag soup parses the way a browser would).</summary>
public sealed class HtmlTextExtractor : ITextExtractor
{
    public IReadOnlyCollection<string> ContentTypes { get; } = [ContentSniffer.Html];

    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionLimits limits, CancellationToken cancellationToken) =>
        ExtractionRun.RunAsync(content, limits, "The HTML file could not be read.", Read, cancellationToken);

    internal static void ReadHtml(string html, BlockCollector blocks)
    {
        var document = new HtmlParser().ParseDocument(html);
        new HtmlBlockReader(blocks).Read(document.Body ?? (AngleSharp.Dom.INode)document);
    }

    private static int? Read(Stream content, BlockCollector blocks, CancellationToken cancellationToken)
    {
        // The sniffer admitted the file as UTF-8, so a contrary <meta charset> is not followed.
        using var reader = new StreamReader(content, leaveOpen: true);
        ReadHtml(reader.ReadToEnd(), blocks);
        return null;
    }
}
