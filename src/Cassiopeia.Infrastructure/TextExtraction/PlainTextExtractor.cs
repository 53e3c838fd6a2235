using System.Text;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>Reads UTF-8 text as paragraphs separated by blank lines; line breaks inside a paragraph are kept.</summary>
public sealed class PlainTextExtractor : ITextExtractor
{
    public IReadOnlyCollection<string> ContentTypes { get; } = [ContentSniffer.Text];

    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionLimits limits, CancellationToken cancellationToken) =>
        ExtractionRun.RunAsync(content, limits, "The text file could not be read.", Read, cancellationToken);

    private static int? Read(Stream content, BlockCollector blocks, CancellationToken cancellationToken)
    {
        using var reader = new StreamReader(content, leaveOpen: true);
        var paragraph = new StringBuilder();
        while (reader.ReadLine() is { } line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                blocks.Add(BlockKind.Paragraph, paragraph.ToString());
                paragraph.Clear();
            }
            else
            {
                paragraph.Append(line).Append('\n');
            }
        }

        blocks.Add(BlockKind.Paragraph, paragraph.ToString());
        return null;
    }
}
