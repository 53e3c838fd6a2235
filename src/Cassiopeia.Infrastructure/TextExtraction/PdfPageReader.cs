using System.Text;
using Cassiopeia.Core.Ingestion;
using UglyToad.PdfPig.Content;
using UglyToad.PdfPig.Core;
using UglyToad.PdfPig.DocumentLayoutAnalysis.PageSegmenter;
using UglyToad.PdfPig.DocumentLayoutAnalysis.ReadingOrderDetector;
using UglyToad.PdfPig.DocumentLayoutAnalysis.WordExtractor;
using PdfTextBlock = UglyToad.PdfPig.DocumentLayoutAnalysis.TextBlock;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// The blocks of one PDF page. Letters are grouped by visibility first and each group is segmented
/// on its own, so white, tiny or off-page text never merges into the visible paragraphs; visible
/// blocks come in reading order, then hidden ones top to bottom.
/// </summary>
internal static class PdfPageReader
{
    private const double MinVisiblePointSize = 4;
    private const double NearWhite = 0.94;
    private static readonly char[] Bullets = ['•', '●', '▪', '■', '◦', '‣', '∙', '·', '➢', '►', '–', '-', '*'];

    public static IEnumerable<PdfPageBlock> Read(Page page)
    {
        // An invisible text layer over a scanned image is OCR output: it is the page's real text.
        var ocrLayer = page.NumberOfImages > 0;
        var crop = page.CropBox.Bounds;
        var groups = page.Letters
            .Where(l => !string.IsNullOrWhiteSpace(l.Value))
            .GroupBy(l => HiddenReasonOf(l, crop, ocrLayer))
            .OrderBy(g => g.Key is null ? 0 : 1)
            .ThenBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in groups)
        {
            var words = NearestNeighbourWordExtractor.Instance.GetWords(group.ToList());
            var segmented = DocstrumBoundingBoxes.Instance.GetBlocks(words);
            var ordered = group.Key is null
                ? UnsupervisedReadingOrderDetector.Instance.Get(segmented)
                : segmented.OrderByDescending(b => b.BoundingBox.Top).ThenBy(b => b.BoundingBox.Left);
            foreach (var block in ordered)
            {
                foreach (var found in Split(block, page.Number, group.Key))
                {
                    yield return found;
                }
            }
        }
    }

    private static string? HiddenReasonOf(Letter letter, PdfRectangle crop, bool ocrLayer)
    {
        var origin = letter.StartBaseLine;
        if (origin.X < crop.Left - 1 || origin.X > crop.Right + 1 || origin.Y < crop.Bottom - 1 || origin.Y > crop.Top + 1)
        {
            return HiddenReason.OutsidePage;
        }

        if (letter.RenderingMode is TextRenderingMode.Neither or TextRenderingMode.NeitherClip && !ocrLayer)
        {
            return HiddenReason.Invisible;
        }

        if (letter.PointSize < MinVisiblePointSize)
        {
            return HiddenReason.TinyText;
        }

        var stroked = letter.RenderingMode is TextRenderingMode.Stroke or TextRenderingMode.StrokeClip;
        var color = stroked ? letter.StrokeColor : letter.FillColor;
        if (color is not null)
        {
            var (r, g, b) = color.ToRGBValues();
            if (r >= NearWhite && g >= NearWhite && b >= NearWhite)
            {
                return HiddenReason.WhiteText;
            }
        }

        return null;
    }

    /// <summary>
    /// A segmented block as paragraphs, cut where a line starts with a bullet (a list item) or where the
    /// font size changes (a heading Docstrum set too close to its text).
    /// </summary>
    private static IEnumerable<PdfPageBlock> Split(PdfTextBlock block, int page, string? hidden)
    {
        var current = new List<string>();
        var kind = BlockKind.Paragraph;
        var size = 0.0;
        foreach (var line in block.TextLines)
        {
            var text = line.Text.Trim();
            var lineSize = Median(line.Words.SelectMany(w => w.Letters).Select(l => l.PointSize));
            var bullet = text.Length > 1 && Bullets.Contains(text[0]) && char.IsWhiteSpace(text[1]);
            var resized = current.Count > 0 && Math.Max(lineSize, size) > Math.Min(lineSize, size) * 1.15;
            if ((bullet || resized) && current.Count > 0)
            {
                yield return Make(kind, current, page, hidden, size);
                current.Clear();
                kind = BlockKind.Paragraph;
            }

            if (bullet)
            {
                kind = BlockKind.ListItem;
                text = text[1..].TrimStart();
            }

            size = current.Count == 0 ? lineSize : size;
            current.Add(text);
        }

        if (current.Count > 0)
        {
            yield return Make(kind, current, page, hidden, size);
        }
    }

    private static PdfPageBlock Make(BlockKind kind, List<string> lines, int page, string? hidden, double fontSize)
    {
        // Lines of a paragraph are soft wraps; a line ending in a hyphen continues the word.
        var text = new StringBuilder(lines[0]);
        for (var i = 1; i < lines.Count; i++)
        {
            text.Append(text[^1] == '-' ? "" : " ").Append(lines[i]);
        }

        return new PdfPageBlock(kind, text.ToString(), kind == BlockKind.ListItem ? 1 : 0, page, hidden, fontSize, text.Length, lines.Count);
    }

    private static double Median(IEnumerable<double> values)
    {
        var sorted = values.Order().ToList();
        return sorted.Count == 0 ? 0 : sorted[sorted.Count / 2];
    }
}
