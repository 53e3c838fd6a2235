namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Heading levels from font sizes: a short visible block whose font is at least 20% larger than the
/// document's median body size is a heading; the largest such size is level 1, the next level 2, and so on.
/// </summary>
internal sealed class PdfHeadings
{
    private const double Ratio = 1.2;
    private const int MaxHeadingCharacters = 150;
    private const int MaxHeadingLines = 3;
    private readonly double _body;
    private readonly List<double> _sizes;

    public PdfHeadings(IReadOnlyList<PdfPageBlock> blocks)
    {
        _body = BodySize(blocks);
        _sizes = blocks.Where(IsHeading).Select(b => Round(b.FontSize)).Distinct().OrderDescending().ToList();
    }

    /// <summary>The heading level of <paramref name="block"/> (1–6), or 0 when it is body text.</summary>
    public int LevelOf(PdfPageBlock block) => IsHeading(block) ? Math.Min(_sizes.IndexOf(Round(block.FontSize)) + 1, 6) : 0;

    private bool IsHeading(PdfPageBlock block) =>
        _body > 0 && block.Hidden is null && block.FontSize >= _body * Ratio
        && block.Text.Length <= MaxHeadingCharacters && block.Lines <= MaxHeadingLines;

    // The median weighted by letters, so the many letters of body text outvote a few large titles.
    private static double BodySize(IReadOnlyList<PdfPageBlock> blocks)
    {
        var visible = blocks.Where(b => b.Hidden is null).OrderBy(b => b.FontSize).ToList();
        var half = visible.Sum(b => b.Letters) / 2;
        var seen = 0;
        foreach (var block in visible)
        {
            seen += block.Letters;
            if (seen > half)
            {
                return block.FontSize;
            }
        }

        return 0;
    }

    private static double Round(double size) => Math.Round(size * 2) / 2;
}
