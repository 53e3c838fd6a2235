using AngleSharp.Dom;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Walks an HTML DOM in document order into blocks: headings, paragraphs, list items (with nesting),
/// table rows (cells joined by " | ") and preformatted code; scripts, styles and other non-content
/// elements are dropped, hidden elements are kept and marked.
/// </summary>
internal sealed class HtmlBlockReader(BlockCollector blocks)
{
    private static readonly HashSet<string> Dropped = new(StringComparer.Ordinal)
    {
        "script", "style", "noscript", "template", "head", "title", "meta", "link", "svg", "math", "iframe", "object", "embed",
        "canvas", "input", "select", "textarea", "button",
    };

    private static readonly HashSet<string> Blocks = new(StringComparer.Ordinal)
    {
        "html", "body", "p", "div", "section", "article", "header", "footer", "main", "aside", "nav", "blockquote", "ul", "ol",
        "dl", "dt", "dd", "table", "thead", "tbody", "tfoot", "caption", "figure", "figcaption", "form", "fieldset", "legend",
        "address", "hr", "details", "summary", "center",
    };

    private readonly InlineText _inline = new();
    private BlockKind _kind = BlockKind.Paragraph;
    private int _level;
    private int _listDepth;
    private int _cellDepth;

    public void Read(INode root)
    {
        Walk(root, HtmlVisibility.Visible);
        Flush();
    }

    private void Walk(INode node, HtmlVisibility visibility)
    {
        foreach (var child in node.ChildNodes)
        {
            if (child is IText text)
            {
                _inline.Append(text.Data, visibility.Hidden);
            }
            else if (child is IElement element && !Dropped.Contains(element.LocalName))
            {
                Element(element, visibility.Enter(element));
            }
        }
    }

    private void Element(IElement element, HtmlVisibility visibility)
    {
        var name = element.LocalName;
        if (name == "br")
        {
            _inline.Append("\n", visibility.Hidden);
            return;
        }

        if (_cellDepth > 0)
        {
            // Inside a table cell everything is inline text of the row.
            _inline.Append(" ", null);
            Walk(element, visibility);
            return;
        }

        switch (name)
        {
            case "h1" or "h2" or "h3" or "h4" or "h5" or "h6":
                Within(BlockKind.Heading, name[1] - '0', element, visibility);
                return;
            case "li":
                _listDepth++;
                Within(BlockKind.ListItem, _listDepth, element, visibility);
                _listDepth--;
                return;
            case "tr":
                Flush();
                Row(element, visibility);
                return;
            case "pre":
                Flush();
                blocks.Add(BlockKind.Code, element.TextContent, hidden: visibility.Hidden);
                return;
        }

        if (Blocks.Contains(name))
        {
            Flush();
            Walk(element, visibility);
            Flush();
        }
        else
        {
            Walk(element, visibility);
        }
    }

    private void Within(BlockKind kind, int level, IElement element, HtmlVisibility visibility)
    {
        Flush();
        var (outerKind, outerLevel) = (_kind, _level);
        (_kind, _level) = (kind, level);
        Walk(element, visibility);
        Flush();
        (_kind, _level) = (outerKind, outerLevel);
    }

    private void Row(IElement row, HtmlVisibility visibility)
    {
        var cells = new List<string>();
        string? hidden = null;
        _cellDepth++;
        foreach (var cell in row.Children.Where(c => c.LocalName is "td" or "th"))
        {
            Walk(cell, visibility.Enter(cell));
            var (text, cellHidden) = _inline.Take();
            hidden ??= cellHidden;
            text = TextCleanup.Clean(text.ReplaceLineEndings(" "));
            if (text.Length > 0)
            {
                cells.Add(text);
            }
        }

        _cellDepth--;
        blocks.Add(BlockKind.TableRow, string.Join(" | ", cells), hidden: hidden);
    }

    private void Flush() => _inline.FlushTo(blocks, _kind, _level);
}
