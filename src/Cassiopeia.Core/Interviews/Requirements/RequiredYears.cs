using System.Globalization;
using System.Text.RegularExpressions;

namespace Cassiopeia.Core.Interviews.Requirements;

/// <summary>"5+ years", "3-5 years", "at least five years": the least number of years a text asks for.</summary>
public static partial class RequiredYears
{
    public const int MaxYears = 50;

    private static readonly Dictionary<string, int> Numbers = new(StringComparer.OrdinalIgnoreCase)
    {
        ["one"] = 1,
        ["two"] = 2,
        ["three"] = 3,
        ["four"] = 4,
        ["five"] = 5,
        ["six"] = 6,
        ["seven"] = 7,
        ["eight"] = 8,
        ["nine"] = 9,
        ["ten"] = 10,
        ["eleven"] = 11,
        ["twelve"] = 12,
        ["fifteen"] = 15,
        ["twenty"] = 20,
    };

    public static int? In(string text)
    {
        var match = Pattern().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var value = match.Groups["n"].Value;
        var years = Numbers.TryGetValue(value, out var word) ? word : int.Parse(value, NumberStyles.None, CultureInfo.InvariantCulture);
        return years is > 0 and <= MaxYears ? years : null;
    }

    [GeneratedRegex(@"\b(?<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty)\s*\+?\s*(?:(?:-|–|to)\s*\d{1,2}\s*\+?\s*)?(?:\(\s*\d{1,2}\s*\)\s*)?(?:years?|yrs?)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex Pattern();
}
