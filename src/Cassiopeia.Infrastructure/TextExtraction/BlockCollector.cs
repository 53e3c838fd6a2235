using System.Globalization;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Gathers the cleaned blocks of one extraction and enforces the character limit as they arrive,
/// so an oversized document fails as soon as it passes the limit.
/// </summary>
internal sealed class BlockCollector(ExtractionLimits limits, CancellationToken cancellationToken)
{
    private readonly List<TextBlock> _blocks = [];
    private long _characters;

    public ExtractionLimits Limits => limits;

    public int Count => _blocks.Count;

    public void Add(BlockKind kind, string text, int level = 0, int? page = null, string? hidden = null)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var clean = kind == BlockKind.Code ? TextCleanup.CleanCode(text) : TextCleanup.Clean(text);
        if (clean.Length == 0)
        {
            return;
        }

        _characters += clean.Length;
        if (_characters > limits.MaxCharacters)
        {
            throw new ExtractionFailedException(string.Create(
                CultureInfo.InvariantCulture,
                $"The document has more than {limits.MaxCharacters:N0} characters of text, the most one document may have; split it into smaller files."));
        }

        _blocks.Add(new TextBlock(kind, clean, level, page, hidden));
    }

    public ExtractedDocument ToDocument(int? pageCount) => new(_blocks, pageCount);
}
