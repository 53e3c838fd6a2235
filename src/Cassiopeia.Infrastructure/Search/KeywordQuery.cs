using System.Globalization;
using System.Text;

namespace Cassiopeia.Infrastructure.Search;

/// <summary>
/// Turns free text into the words of a full-text query. Users type prose, not query syntax, so
/// operators and quotes are never passed through: each word is matched on its own (any word may
/// match; the rankers reward chunks holding more of them).
/// </summary>
internal static class KeywordQuery
{
    public const int MaxTerms = 32;

    public static IReadOnlyList<string> Terms(string query)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var rune in query.Normalize(NormalizationForm.FormKC).EnumerateRunes())
        {
            if (Rune.IsLetterOrDigit(rune))
            {
                word.Append(rune.ToString().ToLower(CultureInfo.InvariantCulture));
                continue;
            }

            Flush();
        }

        Flush();
        return terms;

        void Flush()
        {
            if (word.Length > 0 && word.Length <= 64 && terms.Count < MaxTerms && !terms.Contains(word.ToString()))
            {
                terms.Add(word.ToString());
            }

            word.Clear();
        }
    }
}
