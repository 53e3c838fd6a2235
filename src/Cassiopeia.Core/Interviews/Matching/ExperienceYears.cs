using System.Globalization;
using System.Text.RegularExpressions;
using Cassiopeia.Core.Interviews.Requirements;

namespace Cassiopeia.Core.Interviews.Matching;

/// <summary>
/// Years of experience a CV shows, per subject. Two kinds of statement count: explicit ones
/// ("8 years of Python", "Python (5+ years)") for the words of their sentence, and date ranges of
/// roles ("Acme Corp, 2019 to 2024", "Mar 2018 – present") for the words that follow the range up to
/// the next one (the role's description). For a requirement, the years are the larger of the best
/// explicit statement and the union of the ranges whose text names one of its key terms.
/// </summary>
public sealed partial class ExperienceYears
{
    private readonly List<(double Years, HashSet<string> Words)> _statements = [];
    private readonly List<(double Start, double End, HashSet<string> Words)> _ranges = [];

    private ExperienceYears()
    {
    }

    /// <summary>Reads the statements of the CV's (visible, non-instruction) texts; <paramref name="now"/> ends "present".</summary>
    public static ExperienceYears Read(IEnumerable<string> texts, DateTime now)
    {
        var years = new ExperienceYears();
        var today = now.Year + ((now.Month - 1) / 12.0);
        foreach (var text in texts)
        {
            foreach (var sentence in Ingestion.SentenceSplitter.Split(text))
            {
                foreach (System.Text.RegularExpressions.Match m in StatementPattern().Matches(sentence))
                {
                    var n = int.Parse(m.Groups["n"].ValueSpan, NumberStyles.None, CultureInfo.InvariantCulture);
                    if (n is > 0 and <= RequiredYears.MaxYears)
                    {
                        years._statements.Add((n, KeyTerms.CanonicalWords(sentence)));
                    }
                }
            }

            var ranges = RangePattern().Matches(text);
            for (var i = 0; i < ranges.Count; i++)
            {
                var m = ranges[i];
                var start = Point(m.Groups["y1"].Value, m.Groups["m1"].Value, today);
                var end = m.Groups["present"].Success ? today : Point(m.Groups["y2"].Value, m.Groups["m2"].Value, today);
                if (start is null || end is null || end < start || end - start > RequiredYears.MaxYears)
                {
                    continue;
                }

                // The role's own words: from the line the range is on to the next range.
                var lineStart = text.LastIndexOf('\n', m.Index) + 1;
                var stop = i + 1 < ranges.Count ? text.LastIndexOf('\n', ranges[i + 1].Index) + 1 : text.Length;
                var words = KeyTerms.CanonicalWords(text[lineStart..Math.Max(stop, m.Index + m.Length)]);
                years._ranges.Add((start.Value, end.Value, words));
            }
        }

        return years;
    }

    /// <summary>The years shown for any of <paramref name="canonicalTerms"/> (all experience when empty); null when none is shown.</summary>
    public double? For(IReadOnlyCollection<string> canonicalTerms)
    {
        bool Names(HashSet<string> words) => canonicalTerms.Count == 0 || canonicalTerms.Any(words.Contains);

        var stated = _statements.Where(s => Names(s.Words)).Select(s => (double?)s.Years).Max();
        var spans = _ranges.Where(r => Names(r.Words)).Select(r => (r.Start, r.End)).OrderBy(r => r.Start).ToList();
        double? covered = null;
        if (spans.Count > 0)
        {
            // Union of the spans, so overlapping roles are not counted twice.
            double total = 0, from = spans[0].Start, to = spans[0].End;
            foreach (var (start, end) in spans.Skip(1))
            {
                if (start > to)
                {
                    total += to - from;
                    (from, to) = (start, end);
                }
                else
                {
                    to = Math.Max(to, end);
                }
            }

            covered = Math.Round(total + (to - from), 1);
        }

        return stated is null ? covered : covered is null ? stated : Math.Max(stated.Value, covered.Value);
    }

    private static double? Point(string year, string month, double today)
    {
        if (!int.TryParse(year, NumberStyles.None, CultureInfo.InvariantCulture, out var y) || y < 1950 || y > today + 1)
        {
            return null;
        }

        var index = month.Length >= 3 ? Array.FindIndex(Months, m => month.StartsWith(m, StringComparison.OrdinalIgnoreCase)) : -1;
        return y + (Math.Max(index, 0) / 12.0);
    }

    private static readonly string[] Months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

    [GeneratedRegex(@"\b(?<n>\d{1,2})\s*\+?\s*(?:years?|yrs?)\b(?!\s+(?:old|ago))", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex StatementPattern();

    [GeneratedRegex(@"(?:\b(?<m1>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?\b(?<y1>(?:19|20)\d{2})\s*(?:-|–|—|to|until|through)\s*(?:(?<present>present|now|current|today|date)\b|(?:\b(?<m2>jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+)?(?<y2>(?:19|20)\d{2})\b)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex RangePattern();
}
