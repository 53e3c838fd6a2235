using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Wordprocessing;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// The styles part, resolved the way Word does: a style inherits from its <c>basedOn</c> chain, run
/// properties fall back from the run's style to the paragraph's style to the document defaults.
/// </summary>
internal sealed class DocxStyles
{
    // A hostile file can make basedOn chains loop; real chains are a few styles deep.
    private const int MaxChain = 16;
    private readonly Dictionary<string, Style> _byId = new(StringComparer.Ordinal);
    private readonly OpenXmlElement? _defaults;

    public DocxStyles(Styles? styles)
    {
        if (styles is null)
        {
            return;
        }

        foreach (var style in styles.Elements<Style>())
        {
            if (style.StyleId?.Value is { } id)
            {
                _byId.TryAdd(id, style);
            }
        }

        _defaults = styles.DocDefaults?.RunPropertiesDefault?.RunPropertiesBaseStyle;
        DefaultParagraphStyle = styles.Elements<Style>()
            .FirstOrDefault(s => s.Type?.Value == StyleValues.Paragraph && s.Default?.Value == true)?.StyleId?.Value;
    }

    public string? DefaultParagraphStyle { get; }

    /// <summary>1–9 for Title and Heading 1–9 styles (by name or id) or a style with an outline level, else 0.</summary>
    public int HeadingLevel(string? styleId)
    {
        foreach (var style in Chain(styleId))
        {
            var name = style.StyleName?.Val?.Value ?? "";
            var id = style.StyleId?.Value ?? "";
            if (name.Equals("Title", StringComparison.OrdinalIgnoreCase) || id.Equals("Title", StringComparison.OrdinalIgnoreCase))
            {
                return 1;
            }

            if (TrailingDigit(name, "heading ") is { } byName)
            {
                return byName;
            }

            if (TrailingDigit(id, "Heading") is { } byId)
            {
                return byId;
            }

            if (style.StyleParagraphProperties?.OutlineLevel?.Val?.Value is { } outline && outline is >= 0 and < 9)
            {
                return outline + 1;
            }
        }

        // A style id the styles part does not define (or a document without one, as some generators
        // write) still says what Word would show: "Heading2" is a level-2 heading.
        if (styleId is not null && !Chain(styleId).Any())
        {
            return styleId.Equals("Title", StringComparison.OrdinalIgnoreCase) ? 1 : TrailingDigit(styleId, "Heading") ?? 0;
        }

        return 0;
    }

    public NumberingProperties? Numbering(string? styleId) =>
        Chain(styleId).Select(s => s.StyleParagraphProperties?.NumberingProperties).FirstOrDefault(n => n is not null);

    public T? RunProperty<T>(string? runStyleId, string? paragraphStyleId)
        where T : OpenXmlElement =>
        Chain(runStyleId).Select(s => s.StyleRunProperties?.GetFirstChild<T>()).FirstOrDefault(p => p is not null)
        ?? Chain(paragraphStyleId).Select(s => s.StyleRunProperties?.GetFirstChild<T>()).FirstOrDefault(p => p is not null)
        ?? _defaults?.GetFirstChild<T>();

    private IEnumerable<Style> Chain(string? styleId)
    {
        for (var depth = 0; styleId is not null && depth < MaxChain && _byId.TryGetValue(styleId, out var style); depth++)
        {
            yield return style;
            styleId = style.BasedOn?.Val?.Value;
        }
    }

    private static int? TrailingDigit(string value, string prefix) =>
        value.Length == prefix.Length + 1 && value.StartsWith(prefix, StringComparison.OrdinalIgnoreCase) && char.IsAsciiDigit(value[^1]) && value[^1] != '0'
            ? value[^1] - '0'
            : null;
}
