using System.IO.Packaging;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using DocumentFormat.OpenXml.Packaging;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Reads the main body of a Word document with the Open XML SDK, read-only. The SDK refuses DTDs
/// (so entity-expansion bombs fail at once), and parts are capped in size, so a ZIP entry that
/// lies about its size cannot inflate without bound.
/// </summary>
public sealed class DocxTextExtractor : ITextExtractor
{
    private const string Unreadable = "The Word document is damaged or not a valid DOCX file and could not be read; save it again from Word and upload the new copy.";

    // Markup outweighs text many times over; this bounds the XML of a part, not the text.
    private const long PartCharactersPerTextCharacter = 32;

    public IReadOnlyCollection<string> ContentTypes { get; } = [ContentSniffer.Docx];

    public Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionLimits limits, CancellationToken cancellationToken) =>
        ExtractionRun.RunAsync(content, limits, Unreadable, Read, cancellationToken);

    private static int? Read(Stream content, BlockCollector blocks, CancellationToken cancellationToken)
    {
        using var document = Open(content, blocks.Limits);
        var main = document.MainDocumentPart ?? throw new ExtractionFailedException(Unreadable);
        var body = main.Document?.Body;
        if (body is not null)
        {
            var styles = new DocxStyles(main.StyleDefinitionsPart?.Styles);
            new DocxBodyReader(blocks, styles, cancellationToken).Read(body);
        }

        return null;
    }

    private static WordprocessingDocument Open(Stream content, ExtractionLimits limits)
    {
        try
        {
            return WordprocessingDocument.Open(content, false, new OpenSettings
            {
                MaxCharactersInPart = Math.Max(limits.MaxCharacters, 1) * PartCharactersPerTextCharacter,
            });
        }
        catch (Exception e) when (e is OpenXmlPackageException or InvalidDataException or FileFormatException)
        {
            throw new ExtractionFailedException(Unreadable, e);
        }
    }
}
