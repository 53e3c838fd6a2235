using System.Buffers;
using System.Globalization;
using AngleSharp.Dom;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Whether an element's text is visible, from its attributes and inline style (hidden, aria-hidden,
/// display, visibility, opacity, font size, off-screen indent, text colour against the background).
/// Stylesheet rules are not evaluated: that needs a CSS engine, and inline styles are what hand-made
/// hidden text in CVs uses.
/// </summary>
internal readonly record struct HtmlVisibility(string? Hidden, double BackgroundLuminance)
{
    private static readonly SearchValues<char> Numeric = SearchValues.Create("+-.0123456789");

    public static HtmlVisibility Visible { get; } = new(null, 1.0);

    public HtmlVisibility Enter(IElement element)
    {
        if (Hidden is not null)
        {
            return this;
        }

        if (element.HasAttribute("hidden") || string.Equals(element.GetAttribute("aria-hidden"), "true", StringComparison.OrdinalIgnoreCase))
        {
            return this with { Hidden = HiddenReason.HiddenText };
        }

        var color = element.GetAttribute("color");
        var background = element.GetAttribute("bgcolor");
        foreach (var declaration in (element.GetAttribute("style") ?? "").Split(';'))
        {
            var colon = declaration.IndexOf(':', StringComparison.Ordinal);
            if (colon < 0)
            {
                continue;
            }

            var property = declaration[..colon].Trim().ToLowerInvariant();
            var value = declaration[(colon + 1)..].Replace("!important", "", StringComparison.OrdinalIgnoreCase).Trim().ToLowerInvariant();
            var reason = property switch
            {
                "display" when value == "none" => HiddenReason.HiddenText,
                "visibility" when value is "hidden" or "collapse" => HiddenReason.HiddenText,
                "opacity" when double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var opacity) && opacity < 0.1 => HiddenReason.Transparent,
                "font-size" when IsTiny(value) => HiddenReason.TinyText,
                "text-indent" or "left" or "top" or "margin-left" when IsFarOff(value) => HiddenReason.OutsidePage,
                _ => null,
            };
            if (reason is not null)
            {
                return this with { Hidden = reason };
            }

            if (property == "color")
            {
                color = value;
            }
            else if (property is "background-color" or "background")
            {
                background = value.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(v => CssColor.TryParse(v, out _)) ?? background;
            }
        }

        var backgroundLuminance = background is not null && CssColor.TryParse(background, out var back) && back.Alpha > 0.5
            ? back.Luminance
            : BackgroundLuminance;
        if (color is not null && CssColor.TryParse(color, out var text))
        {
            if (text.Alpha < 0.1)
            {
                return new(HiddenReason.Transparent, backgroundLuminance);
            }

            if (Math.Abs(text.Luminance - backgroundLuminance) < 0.08)
            {
                return new(text.Luminance > 0.9 ? HiddenReason.WhiteText : HiddenReason.BackgroundColour, backgroundLuminance);
            }
        }

        return new(null, backgroundLuminance);
    }

    // Below ~3pt no one reads it: 4px, 3pt, 0.3em or 30%.
    private static bool IsTiny(string value) => TryLength(value, out var size, out var unit) && unit switch
    {
        "" or "px" => size < 4,
        "pt" => size < 3,
        "em" or "rem" => size < 0.3,
        "%" => size < 30,
        _ => size <= 0,
    };

    // The classic way to hide text on screen: indent or position it thousands of pixels away.
    private static bool IsFarOff(string value) => TryLength(value, out var offset, out _) && offset <= -999;

    private static bool TryLength(string value, out double number, out string unit)
    {
        var end = value.AsSpan().IndexOfAnyExcept(Numeric);
        end = end < 0 ? value.Length : end;
        unit = value[end..].Trim();
        return double.TryParse(value.AsSpan(0, end), NumberStyles.Float, CultureInfo.InvariantCulture, out number);
    }
}
