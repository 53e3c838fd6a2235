using System.Globalization;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>An sRGB colour from a CSS value: hex, rgb()/rgba() and the named colours that matter for hidden text.</summary>
internal readonly record struct CssColor(double Red, double Green, double Blue, double Alpha)
{
    private static readonly Dictionary<string, CssColor> Named = new(StringComparer.OrdinalIgnoreCase)
    {
        ["white"] = new(255, 255, 255, 1),
        ["snow"] = new(255, 250, 250, 1),
        ["ivory"] = new(255, 255, 240, 1),
        ["ghostwhite"] = new(248, 248, 255, 1),
        ["whitesmoke"] = new(245, 245, 245, 1),
        ["floralwhite"] = new(255, 250, 240, 1),
        ["mintcream"] = new(245, 255, 250, 1),
        ["azure"] = new(240, 255, 255, 1),
        ["aliceblue"] = new(240, 248, 255, 1),
        ["transparent"] = new(0, 0, 0, 0),
        ["black"] = new(0, 0, 0, 1),
        ["navy"] = new(0, 0, 128, 1),
        ["darkblue"] = new(0, 0, 139, 1),
        ["maroon"] = new(128, 0, 0, 1),
        ["darkgreen"] = new(0, 100, 0, 1),
        ["purple"] = new(128, 0, 128, 1),
        ["gray"] = new(128, 128, 128, 1),
        ["grey"] = new(128, 128, 128, 1),
        ["red"] = new(255, 0, 0, 1),
        ["blue"] = new(0, 0, 255, 1),
        ["green"] = new(0, 128, 0, 1),
    };

    /// <summary>Relative luminance, 0 (black) to 1 (white).</summary>
    public double Luminance => ((0.2126 * Linear(Red)) + (0.7152 * Linear(Green)) + (0.0722 * Linear(Blue)));

    public static bool TryParse(string value, out CssColor color)
    {
        value = value.Trim();
        if (Named.TryGetValue(value, out color))
        {
            return true;
        }

        if (value.StartsWith('#'))
        {
            return TryParseHex(value[1..], out color);
        }

        if ((value.StartsWith("rgb(", StringComparison.OrdinalIgnoreCase) || value.StartsWith("rgba(", StringComparison.OrdinalIgnoreCase)) && value.EndsWith(')'))
        {
            var parts = value[(value.IndexOf('(', StringComparison.Ordinal) + 1)..^1]
                .Split([',', ' ', '/'], StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length is 3 or 4 && TryChannel(parts[0], out var r) && TryChannel(parts[1], out var g) && TryChannel(parts[2], out var b))
            {
                var alpha = 1.0;
                if (parts.Length == 4 && !TryAlpha(parts[3], out alpha))
                {
                    return false;
                }

                color = new(r, g, b, alpha);
                return true;
            }
        }

        color = default;
        return false;
    }

    private static bool TryParseHex(string hex, out CssColor color)
    {
        color = default;
        if (hex.Length is 3 or 4)
        {
            hex = string.Concat(hex.Select(c => new string(c, 2)));
        }

        if (hex.Length is not (6 or 8) || !uint.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var v))
        {
            return false;
        }

        var alpha = hex.Length == 8 ? (v & 0xFF) / 255.0 : 1.0;
        var rgb = hex.Length == 8 ? v >> 8 : v;
        color = new((rgb >> 16) & 0xFF, (rgb >> 8) & 0xFF, rgb & 0xFF, alpha);
        return true;
    }

    private static bool TryChannel(string part, out double channel)
    {
        var percent = part.EndsWith('%');
        var ok = double.TryParse(part.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out channel);
        channel = Math.Clamp(percent ? channel * 2.55 : channel, 0, 255);
        return ok;
    }

    private static bool TryAlpha(string part, out double alpha)
    {
        var percent = part.EndsWith('%');
        var ok = double.TryParse(part.TrimEnd('%'), NumberStyles.Float, CultureInfo.InvariantCulture, out alpha);
        alpha = Math.Clamp(percent ? alpha / 100 : alpha, 0, 1);
        return ok;
    }

    private static double Linear(double channel)
    {
        var c = channel / 255;
        return c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);
    }
}
