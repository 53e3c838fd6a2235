using System.Text;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Text of one block being read run by run (HTML text nodes, DOCX runs). Where visibility changes
/// inside the block, it is emitted as separate blocks, so hidden words are marked on their own
/// instead of hiding in (or hiding) the visible text around them.
/// </summary>
internal sealed class InlineText
{
    private readonly List<(string? Hidden, StringBuilder Text)> _segments = [];

    public bool IsEmpty => _segments.TrueForAll(s => string.IsNullOrWhiteSpace(s.Text.ToString()));

    public void Append(string text, string? hidden)
    {
        if (text.Length == 0)
        {
            return;
        }

        // Whitespace carries no meaning, so a hidden space does not split the block.
        if (_segments.Count > 0 && (_segments[^1].Hidden == hidden || string.IsNullOrWhiteSpace(text)))
        {
            _segments[^1].Text.Append(text);
            return;
        }

        _segments.Add((hidden, new StringBuilder(text)));
    }

    /// <summary>Emits the text as blocks of <paramref name="kind"/> and starts empty.</summary>
    public void FlushTo(BlockCollector blocks, BlockKind kind, int level, int? page = null)
    {
        foreach (var (hidden, text) in _segments)
        {
            blocks.Add(kind, text.ToString(), level, page, hidden);
        }

        _segments.Clear();
    }

    /// <summary>The text as one string (for a table cell) and the first reason any of it was hidden; starts empty.</summary>
    public (string Text, string? Hidden) Take()
    {
        var text = string.Concat(_segments.Select(s => s.Text.ToString()));
        var hidden = _segments.Find(s => s.Hidden is not null && !string.IsNullOrWhiteSpace(s.Text.ToString())).Hidden;
        _segments.Clear();
        return (text, hidden);
    }
}
