using Cassiopeia.Core.Ingestion;
using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Walks a Word body into blocks: paragraphs (headings and list items by their properties and
/// styles), table rows, and text boxes after the paragraph that anchors them. Runs a reader cannot
/// see (vanish, white, under 4pt) are kept and marked.
/// </summary>
internal sealed class DocxBodyReader(BlockCollector blocks, DocxStyles styles, CancellationToken cancellationToken)
{
    private const int MinVisibleHalfPoints = 8;

    public void Read(OpenXmlElement container)
    {
        foreach (var element in container.ChildElements)
        {
            switch (element)
            {
                case Paragraph paragraph:
                    ReadParagraph(paragraph);
                    break;
                case Table table:
                    ReadTable(table);
                    break;
                case AlternateContentFallback:
                    break;
                default:
                    // Content controls, custom XML and the like wrap ordinary paragraphs and tables.
                    Read(element);
                    break;
            }
        }
    }

    private void ReadParagraph(Paragraph paragraph)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var properties = paragraph.ParagraphProperties;
        var styleId = properties?.ParagraphStyleId?.Val?.Value ?? styles.DefaultParagraphStyle;
        var text = new InlineText();
        var boxes = new List<OpenXmlElement>();
        Inline(paragraph, text, styleId, boxes);
        var (kind, level) = Classify(properties, styleId);
        text.FlushTo(blocks, kind, level);
        boxes.ForEach(Read);
    }

    private (BlockKind Kind, int Level) Classify(ParagraphProperties? properties, string? styleId)
    {
        var heading = properties?.OutlineLevel?.Val?.Value is { } outline && outline is >= 0 and < 9
            ? outline + 1
            : styles.HeadingLevel(styleId);
        if (heading > 0)
        {
            return (BlockKind.Heading, Math.Min(heading, 6));
        }

        var own = properties?.NumberingProperties;
        var inherited = styles.Numbering(styleId);
        var numberingId = own?.NumberingId?.Val?.Value ?? inherited?.NumberingId?.Val?.Value;
        if (numberingId is null or 0)
        {
            return (BlockKind.Paragraph, 0);
        }

        var depth = own?.NumberingLevelReference?.Val?.Value ?? inherited?.NumberingLevelReference?.Val?.Value ?? 0;
        return (BlockKind.ListItem, Math.Clamp(depth, 0, 8) + 1);
    }

    private void ReadTable(Table table)
    {
        foreach (var row in table.Elements<TableRow>())
        {
            cancellationToken.ThrowIfCancellationRequested();
            var cells = new List<string>();
            var boxes = new List<OpenXmlElement>();
            string? hidden = null;
            foreach (var cell in row.Elements<TableCell>())
            {
                var text = new InlineText();
                CellText(cell, text, boxes);
                var (value, cellHidden) = text.Take();
                hidden ??= cellHidden;
                value = TextCleanup.Clean(value.ReplaceLineEndings(" "));
                if (value.Length > 0)
                {
                    cells.Add(value);
                }
            }

            blocks.Add(BlockKind.TableRow, string.Join(" | ", cells), hidden: hidden);
            boxes.ForEach(Read);
        }
    }

    // A cell's paragraphs and nested tables flatten into the cell's text.
    private void CellText(OpenXmlElement element, InlineText text, List<OpenXmlElement> boxes)
    {
        foreach (var child in element.ChildElements)
        {
            if (child is Paragraph paragraph)
            {
                Inline(paragraph, text, paragraph.ParagraphProperties?.ParagraphStyleId?.Val?.Value ?? styles.DefaultParagraphStyle, boxes);
                text.Append(" ", null);
            }
            else if (child is not AlternateContentFallback)
            {
                CellText(child, text, boxes);
            }
        }
    }

    private void Inline(OpenXmlElement element, InlineText text, string? styleId, List<OpenXmlElement> boxes)
    {
        foreach (var child in element.ChildElements)
        {
            switch (child)
            {
                case Run run:
                    ReadRun(run, text, styleId, boxes);
                    break;
                case ParagraphProperties or DeletedRun or MoveFromRun or AlternateContentFallback:
                    break;
                case TextBoxContent or Paragraph or Table:
                    boxes.Add(child);
                    break;
                default:
                    // Hyperlinks, inserted runs, fields, smart tags and inline content controls hold runs.
                    Inline(child, text, styleId, boxes);
                    break;
            }
        }
    }

    private void ReadRun(Run run, InlineText text, string? styleId, List<OpenXmlElement> boxes)
    {
        var hidden = HiddenReasonOf(run, styleId);
        foreach (var child in run.ChildElements)
        {
            switch (child)
            {
                case Text t:
                    text.Append(t.Text, hidden);
                    break;
                case TabChar:
                    text.Append(" ", hidden);
                    break;
                case Break or CarriageReturn:
                    text.Append("\n", hidden);
                    break;
                case NoBreakHyphen:
                    text.Append("-", hidden);
                    break;
                case RunProperties or FieldCode or DeletedText:
                    break;
                default:
                    // Drawings and VML shapes may hold text boxes; the fallback copy of one is skipped.
                    FindBoxes(child, boxes);
                    break;
            }
        }
    }

    private static void FindBoxes(OpenXmlElement element, List<OpenXmlElement> boxes)
    {
        foreach (var child in element.ChildElements)
        {
            if (child is TextBoxContent)
            {
                boxes.Add(child);
            }
            else if (child is not AlternateContentFallback)
            {
                FindBoxes(child, boxes);
            }
        }
    }

    private string? HiddenReasonOf(Run run, string? paragraphStyleId)
    {
        var own = run.RunProperties;
        var runStyleId = own?.RunStyle?.Val?.Value;
        T? Find<T>()
            where T : OpenXmlElement => own?.GetFirstChild<T>() ?? styles.RunProperty<T>(runStyleId, paragraphStyleId);

        if (Find<Vanish>() is { } vanish && (vanish.Val is null || vanish.Val.Value))
        {
            return HiddenReason.HiddenText;
        }

        if (int.TryParse(Find<FontSize>()?.Val?.Value, out var halfPoints) && halfPoints < MinVisibleHalfPoints)
        {
            return HiddenReason.TinyText;
        }

        var color = Find<Color>()?.Val?.Value;
        if (color is not null && CssColor.TryParse("#" + color, out var textColor) && textColor.Luminance > 0.9 && !HasDarkBackground(Find<Shading>(), Find<Highlight>()))
        {
            return HiddenReason.WhiteText;
        }

        return null;
    }

    private static bool HasDarkBackground(Shading? shading, Highlight? highlight) =>
        (shading?.Fill?.Value is { } fill && CssColor.TryParse("#" + fill, out var back) && back.Luminance < 0.6)
        || (highlight?.Val?.Value is { } marker && marker != HighlightColorValues.None && marker != HighlightColorValues.White);
}
