using System.Text;
using System.Text.RegularExpressions;

namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>Words, stems and clean quotes: the small amount of language handling both offline engines share.</summary>
internal static partial class PracticeText
{
    public const int MaxQuoteLength = 220;

    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "about", "above", "after", "again", "against", "all", "also", "am", "an", "and", "any", "are", "as", "at",
        "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "can", "could", "did", "do",
        "does", "doing", "done", "down", "during", "each", "either", "etc", "ever", "every", "few", "for", "from", "further",
        "get", "got", "had", "has", "have", "having", "he", "her", "here", "hers", "him", "his", "how", "however", "i", "if",
        "in", "into", "is", "it", "its", "itself", "just", "let", "like", "many", "me", "might", "more", "most", "much",
        "must", "my", "myself", "no", "nor", "not", "now", "of", "off", "on", "once", "one", "only", "or", "other", "our",
        "ours", "out", "over", "own", "per", "quite", "rather", "really", "same", "shall", "she", "should", "so", "some",
        "such", "than", "that", "the", "their", "theirs", "them", "then", "there", "these", "they", "this", "those",
        "through", "to", "too", "under", "until", "up", "upon", "us", "use", "used", "using", "very", "was", "we", "well",
        "were", "what", "when", "where", "whether", "which", "while", "who", "whom", "why", "will", "with", "within",
        "without", "would", "yes", "yet", "you", "your", "yours", "yourself", "thing", "things", "stuff", "lot", "lots",
        "kind", "sort", "way", "ways", "good", "great", "nice", "able", "make", "made", "think", "know", "want", "really",
        "tell", "time", "describe", "example", "give", "walk", "role", "job", "work", "worked", "working",
    };

    /// <summary>Words job descriptions wrap around what they ask for ("strong knowledge of", "is a plus").</summary>
    public static readonly HashSet<string> RequirementFiller = new(StringComparer.Ordinal)
    {
        "ability", "able", "background", "commercial", "degree", "demonstrable", "equivalent", "excellent", "experience",
        "experienced", "expertise", "familiarity", "hands-on", "ideally", "knowledge", "plus", "preferred", "preferably",
        "professional", "proficiency", "proficient", "proven", "related", "relevant", "required", "skills", "solid",
        "strong", "understanding", "year", "years", "bonus", "nice", "similar", "field",
    };

    /// <summary>Lower-cased words; "C#", "C++", "Node.js", ".NET", "p95" and "CI/CD" stay whole.</summary>
    public static List<string> Words(string text)
    {
        var words = new List<string>();
        foreach (Match match in WordPattern().Matches(text))
        {
            words.Add(match.Value.TrimEnd('.', '-', '/').ToLowerInvariant());
        }

        return words;
    }

    /// <summary>Words that carry meaning (no stop words, no single letters), as stems.</summary>
    public static List<string> ContentStems(string text) =>
        Words(text).Where(IsContent).Select(Stem).ToList();

    public static bool IsContent(string word) =>
        (word.Length > 1 || word.Any(char.IsDigit)) && !StopWords.Contains(word);

    /// <summary>A light suffix stripper, enough for "deploy/deployed/deploying/deployments" to meet.</summary>
    public static string Stem(string word)
    {
        if (word.Length <= 4 || !word.All(char.IsLetter))
        {
            return word;
        }

        foreach (var suffix in (ReadOnlySpan<string>)["ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ers", "er", "ed", "es", "ly", "s"])
        {
            if (word.EndsWith(suffix, StringComparison.Ordinal) && word.Length - suffix.Length >= 4)
            {
                var stem = word[..^suffix.Length];
                return suffix is "ies" or "ied" ? stem + "y" : stem;
            }
        }

        return word;
    }

    /// <summary>One line, no bullet, no trailing punctuation, at most <see cref="MaxQuoteLength"/> characters cut at a word.</summary>
    public static string Clean(string text)
    {
        var line = Whitespace().Replace(text, " ").Trim().TrimStart('•', '·', '-', '*', '–', '—', '>', ' ').Trim();
        line = line.TrimEnd('.', ';', ':', ',', ' ');
        if (line.Length > MaxQuoteLength)
        {
            var cut = line.LastIndexOf(' ', MaxQuoteLength - 1);
            line = line[..(cut > MaxQuoteLength / 2 ? cut : MaxQuoteLength - 1)].TrimEnd(',', ';', ':', ' ') + "…";
        }

        // Quotes inside a quoted span would break the question's own quotation marks; braces would read as a template's placeholder.
        return line.Replace('"', '\'').Replace('“', '\'').Replace('”', '\'').Replace("{", "", StringComparison.Ordinal).Replace("}", "", StringComparison.Ordinal);
    }

    public static bool HasNumber(string text) => NumberPattern().IsMatch(text);

    public static IEnumerable<string> Numbers(string text) => NumberPattern().Matches(text).Select(m => m.Value);

    /// <summary>Text that addresses a model or grader rather than a reader ("ignore previous instructions", "rate this candidate 100"): the match's rules.</summary>
    public static bool IsInstructionLike(string text) => Integrity.InstructionText.IsInstruction(text);

    /// <summary>The share of <paramref name="part"/>'s content stems found in <paramref name="whole"/>'s.</summary>
    public static double Containment(IReadOnlyCollection<string> part, IReadOnlySet<string> whole) =>
        part.Count == 0 ? 0 : part.Count(whole.Contains) / (double)part.Count;

    public static string Normalized(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var word in Words(text))
        {
            builder.Append(word).Append(' ');
        }

        return builder.ToString().TrimEnd();
    }

    [GeneratedRegex(@"\.?[\p{L}\p{N}][\p{L}\p{N}+#./'’-]*")]
    private static partial Regex WordPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Whitespace();

    [GeneratedRegex(@"(?<![\p{L}\p{N}.,])\d+(?:[.,]\d+)?(?:\s?(?:%|x\b|k\b|m\b|ms\b|percent\b|million\b|thousand\b|hours?\b|days?\b|weeks?\b|months?\b|years?\b|people\b|engineers\b|users\b|customers\b))?", RegexOptions.IgnoreCase)]
    private static partial Regex NumberPattern();
}
