using System.Text.RegularExpressions;

namespace Cassiopeia.Core.Interviews.Requirements;

/// <summary>
/// The words that carry a requirement: skills, tools, fields, degrees. Shared by the extractor (which
/// lists them) and the matcher (which looks for them in a CV), so both sides cut and compare words alike:
/// lower case, technology names kept whole (<c>c#</c>, <c>c++</c>, <c>.net</c>, <c>node.js</c>, <c>ci/cd</c>),
/// plurals folded and a few common aliases mapped (<c>k8s</c> → <c>kubernetes</c>, <c>bsc</c> → <c>bachelor</c>).
/// </summary>
public static partial class KeyTerms
{
    public const int MaxTerms = 8;

    /// <summary>Function words and the vocabulary every requirement shares ("strong experience with").</summary>
    private static readonly HashSet<string> Ignored = new(StringComparer.Ordinal)
    {
        "a", "an", "the", "and", "or", "of", "in", "on", "with", "for", "to", "at", "by", "from", "as", "into", "over", "about",
        "is", "are", "be", "been", "being", "was", "were", "we", "you", "your", "our", "us", "i", "me", "my", "will", "would",
        "who", "whom", "that", "this", "these", "those", "it", "its", "they", "their", "them", "he", "she", "his", "her",
        "can", "could", "should", "may", "might", "shall", "do", "does", "did", "done", "not", "no", "but", "if", "so", "than",
        "then", "there", "here", "when", "where", "which", "what", "how", "why", "all", "any", "each", "every", "some", "both",
        "via", "per", "within", "across", "through", "up", "out", "also", "other", "others", "etc", "e.g", "i.e", "eg", "ie",
        "experience", "experienced", "experiences", "year", "years", "yrs", "yr", "knowledge", "knowledgeable", "strong", "solid",
        "good", "great", "excellent", "outstanding", "proven", "ability", "abilities", "able", "skill", "skills", "skilled",
        "proficiency", "proficient", "understanding", "understand", "familiarity", "familiar", "working", "work", "works",
        "hands-on", "deep", "plus", "bonus", "preferred", "prefer", "required", "require", "requires", "requirement",
        "requirements", "must", "nice", "have", "having", "has", "had", "including", "include", "includes", "such", "like",
        "least", "minimum", "min", "more", "most", "related", "relevant", "similar", "equivalent", "professional",
        "demonstrated", "demonstrable", "track", "record", "using", "use", "used", "role", "position", "candidate", "someone",
        "need", "needs", "looking", "ideally", "ideal", "desirable", "desired", "advantage", "advantageous", "highly",
        "degree", "field", "fields", "area", "areas", "similar", "new", "well", "very", "just", "able", "comfortable",
        "expert", "expertise", "practical", "practice", "commercial", "production", "plenty", "least", "one", "two", "three",
        "four", "five", "six", "seven", "eight", "nine", "ten", "twelve", "fifteen", "twenty", "ago", "join", "help",
        "engineer", "engineers", "developer", "developers", "team", "teams", "company", "companies", "business", "environment",
        "environments", "run", "runs", "running", "build", "builds", "building", "built", "develop", "develops", "developing",
        "write", "writes", "writing", "maintain", "maintains", "maintaining", "ensure", "ensures", "ensuring", "collaborate",
        "collaborating", "drive", "drives", "driving", "own", "owns", "owning", "create", "creates", "creating", "deliver",
        "delivers", "delivering", "support", "supporting", "make", "makes", "making", "take", "takes", "get", "gets", "want",
        "day", "days", "part", "based", "plus", "strongly", "great", "world", "class", "well", "high", "quality", "best",
    };

    private static readonly Dictionary<string, string> Aliases = new(StringComparer.Ordinal)
    {
        ["k8s"] = "kubernetes",
        ["postgres"] = "postgresql",
        ["golang"] = "go",
        ["js"] = "javascript",
        ["ecmascript"] = "javascript",
        ["ts"] = "typescript",
        ["dotnet"] = ".net",
        ["csharp"] = "c#",
        ["py"] = "python",
        ["ml"] = "machine-learning",
        ["bsc"] = "bachelor",
        ["b.sc"] = "bachelor",
        ["bs"] = "bachelor",
        ["b.s"] = "bachelor",
        ["ba"] = "bachelor",
        ["b.a"] = "bachelor",
        ["bachelors"] = "bachelor",
        ["undergraduate"] = "bachelor",
        ["msc"] = "master",
        ["m.sc"] = "master",
        ["ms"] = "master",
        ["m.s"] = "master",
        ["masters"] = "master",
        ["phd"] = "doctorate",
        ["ph.d"] = "doctorate",
        ["doctoral"] = "doctorate",
    };

    /// <summary>The key terms of <paramref name="text"/>, in order of first appearance, at most <see cref="MaxTerms"/>.</summary>
    public static IReadOnlyList<string> Of(string text)
    {
        var terms = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            if (IsKey(word) && seen.Add(Canonical(word)))
            {
                terms.Add(word);
                if (terms.Count == MaxTerms)
                {
                    break;
                }
            }
        }

        return terms;
    }

    /// <summary>
    /// How much each key term of <paramref name="text"/> counts when coverage is measured: a name
    /// (capitalised inside the text, or written with symbols: "Kubernetes", "C#", ".NET") counts
    /// <see cref="NameWeight"/>, any other word 1, so "backend services in C#" is not two-thirds met
    /// by "backend services in Java". Keyed by canonical form.
    /// </summary>
    public static Dictionary<string, double> Weights(string text, IEnumerable<string> terms)
    {
        var named = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in WordPattern().Matches(text))
        {
            var raw = match.Value.TrimEnd('.', '-', '/', '\'', '’');
            var symbols = raw.Any(c => c is '#' or '+' or '.');
            if (symbols || (match.Index > 0 && raw.Any(char.IsUpper)))
            {
                foreach (var word in Words(raw))
                {
                    named.Add(Canonical(word));
                }
            }
        }

        var weights = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var term in terms)
        {
            var canonical = Canonical(term);
            weights[canonical] = named.Contains(canonical) ? NameWeight : 1;
        }

        return weights;
    }

    public const double NameWeight = 2;

    /// <summary>The canonical forms of every word in <paramref name="text"/> (for looking terms up in it).</summary>
    public static HashSet<string> CanonicalWords(string text)
    {
        var set = new HashSet<string>(StringComparer.Ordinal);
        foreach (var word in Words(text))
        {
            set.Add(Canonical(word));
        }

        return set;
    }

    /// <summary>The words of <paramref name="text"/>, lower case, with trailing punctuation and possessives removed.</summary>
    public static IEnumerable<string> Words(string text)
    {
        foreach (Match match in WordPattern().Matches(text))
        {
            var word = match.Value.ToLowerInvariant().TrimEnd('.', '-', '/', '\'', '’');
            if (word.EndsWith("'s", StringComparison.Ordinal) || word.EndsWith("’s", StringComparison.Ordinal))
            {
                word = word[..^2];
            }

            if (word.Length == 0)
            {
                continue;
            }

            // "Python/Django" is two words; "CI/CD", "TCP/IP" and "UI/UX" are one.
            var parts = word.Split('/', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length > 1 && parts.Any(p => p.Length > 3))
            {
                foreach (var part in parts)
                {
                    yield return part;
                }
            }
            else
            {
                yield return word;
            }
        }
    }

    /// <summary>The form two words are compared in: an alias resolved, a plural folded.</summary>
    public static string Canonical(string word)
    {
        if (Aliases.TryGetValue(word, out var alias))
        {
            return alias;
        }

        if (word.Length > 4 && word.All(char.IsLetter))
        {
            var stem = Stem(word);
            return Aliases.GetValueOrDefault(stem, stem);
        }

        return word;
    }

    /// <summary>
    /// A light suffix stripper, enough for requirement words: plurals ("queries", "pipelines"), -ing
    /// and -ed ("designing", "designed", "tuning", "tuned") and a final e ("tune"), so forms of one
    /// word meet. Stems are for comparing only, never shown.
    /// </summary>
    private static string Stem(string word)
    {
        if (word.EndsWith("ies", StringComparison.Ordinal))
        {
            return word[..^3] + "y";
        }

        if (word[^1] == 's' && !word.EndsWith("ss", StringComparison.Ordinal) && !word.EndsWith("us", StringComparison.Ordinal) && !word.EndsWith("is", StringComparison.Ordinal))
        {
            word = word[..^1];
        }

        if (word.Length > 5 && word.EndsWith("ing", StringComparison.Ordinal))
        {
            word = Undouble(word[..^3]);
        }
        else if (word.Length > 4 && word.EndsWith("ed", StringComparison.Ordinal))
        {
            word = Undouble(word[..^2]);
        }

        return word.Length > 3 && word[^1] == 'e' ? word[..^1] : word;
    }

    private static string Undouble(string stem) =>
        stem.Length > 3 && stem[^1] == stem[^2] && stem[^1] is not ('l' or 's' or 'z') ? stem[..^1] : stem;

    private static bool IsKey(string word) =>
        !Ignored.Contains(word) && word.Any(char.IsLetter) && (word.Length > 1 || word is "c" or "r");

    [GeneratedRegex(@"(?:(?<![\p{L}\p{N}])\.(?=[\p{L}]))?[\p{L}\p{N}][\p{L}\p{N}+#.'’/\-]*", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex WordPattern();
}
