using System.Globalization;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using UglyToad.PdfPig;
using UglyToad.PdfPig.Exceptions;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Reads PDF text with PdfPig, page by page: words by nearest neighbour, blocks by Docstrum, blocks
/// in reading order; a block is a heading when its font is clearly larger than the body text's
/// median. Letters a reader cannot see are kept in blocks of their own, marked hidden.
/// </summary>
public sealed class PdfTextExtractor : ITextExtractor
{
    private const string Unreadable = "The PDF is damaged or incomplete and could not be read; export it again and upload the new copy.";

    public IReadOnlyCollection<string> ContentTypes { get; } = [ContentSniffer.Pdf];

    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionLimits limits, CancellationToken cancellationToken) =>
        ExtractionRun.RunAsync(content, limits, Unreadable, Read, cancellationToken);

    private static int? Read(Stream content, BlockCollector blocks, CancellationToken cancellationToken)
    {
        using var pdf = Open(content);
        var pageCount = pdf.NumberOfPages;
        if (pageCount > blocks.Limits.MaxPages)
        {
            throw new ExtractionFailedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The PDF has {pageCount} pages, more than the {blocks.Limits.MaxPages} pages one document may have; split it into smaller files."));
        }

        var found = new List<PdfPageBlock>();
        for (var number = 1; number <= pageCount; number++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            found.AddRange(PdfPageReader.Read(pdf.GetPage(number)));
        }

        var headings = new PdfHeadings(found);
        foreach (var block in found)
        {
            var level = headings.LevelOf(block);
            blocks.Add(level > 0 ? BlockKind.Heading : block.Kind, block.Text, level > 0 ? level : block.Level, block.Page, block.Hidden);
        }

        if (blocks.Count == 0)
        {
            throw new ExtractionFailedException(
                "The PDF has no extractable text; it may be a scanned image. Upload a PDF with selectable text, or a DOCX.");
        }

        return pageCount;
    }

    private static PdfDocument Open(Stream content)
    {
        try
        {
            // Lenient parsing recovers the small structural errors common in real PDFs (wrong
            // offsets, a broken cross-reference table); content that is truly damaged still fails.
            return PdfDocument.Open(content, new ParsingOptions { UseLenientParsing = true, SkipMissingFonts = true });
        }
        catch (PdfDocumentEncryptedException e)
        {
            throw new ExtractionFailedException("The PDF is password-protected; upload an unprotected copy.", e);
        }
    }
}
