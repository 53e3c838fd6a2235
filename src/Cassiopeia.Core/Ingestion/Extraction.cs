namespace Cassiopeia.Core.Ingestion;

/// <summary>What a block of extracted text is, as far as the source format tells.</summary>
public enum BlockKind
{
    Heading,
    Paragraph,
    ListItem,
    TableRow,
    Code,
}

/// <summary>
/// One block of extracted text in reading order. <paramref name="Level"/> is the heading level (1–6)
/// for headings and the nesting depth for list items (1 for a top-level item), 0 otherwise. <paramref name="Page"/> is the
/// 1-based page for paginated formats (PDF). <paramref name="Hidden"/> names why a human reader would
/// not see the text (white text, tiny font, off the page, hidden run), or is null when it is visible.
/// </summary>
public sealed record TextBlock(BlockKind Kind, string Text, int Level = 0, int? Page = null, string? Hidden = null);

/// <summary>The text of a document as blocks, Unicode-normalised (NFC) with whitespace cleaned.</summary>
public sealed record ExtractedDocument(IReadOnlyList<TextBlock> Blocks, int? PageCount)
{
    public int CharacterCount => Blocks.Sum(b => b.Text.Length);
}

/// <summary>Bounds on one extraction; exceeding any fails the document with a clear reason.</summary>
public sealed record ExtractionLimits(int MaxPages = 500, int MaxCharacters = 2_000_000, TimeSpan? Timeout = null)
{
    public TimeSpan EffectiveTimeout => Timeout ?? TimeSpan.FromSeconds(60);
}

/// <summary>Turns the bytes of one sniffed content type into text blocks.</summary>
public interface ITextExtractor
{
    /// <summary>The sniffed content types (see <c>ContentTypes</c>) this extractor reads.</summary>
    IReadOnlyCollection<string> ContentTypes { get; }

    /// <summary>
    /// Reads <paramref name="content"/> (seekable) and returns its text. Throws
    /// <see cref="ExtractionFailedException"/> when the document cannot be read for a reason that
    /// retrying will not change (corrupt, encrypted, over a limit, no text).
    /// </summary>
    Task<ExtractedDocument> ExtractAsync(Stream content, ExtractionLimits limits, CancellationToken cancellationToken);
}

/// <summary>A permanent extraction failure; <see cref="Exception.Message"/> is shown to the user as the document's error.</summary>
public sealed class ExtractionFailedException : Exception
{
    public ExtractionFailedException(string reason)
        : base(reason)
    {
    }

    public ExtractionFailedException(string reason, Exception innerException)
        : base(reason, innerException)
    {
    }

    public ExtractionFailedException()
    {
    }
}
