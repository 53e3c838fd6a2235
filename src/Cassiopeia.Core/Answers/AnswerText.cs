using System.Globalization;
using System.Text;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Core.Answers;

/// <summary>Sentences and content words of answers and sources, for matching claims to evidence.</summary>
public static class AnswerText
{
    /// <summary>Function words and question words ("how long", "how many"); they say nothing about what a sentence is about.</summary>
    private static readonly HashSet<string> StopWords = new(StringComparer.Ordinal)
    {
        "a", "an", "and", "are", "as", "at", "be", "been", "but", "by", "can", "could", "did", "do", "does", "doing", "done", "for", "from",
        "had", "has", "have", "he", "her", "his", "how", "i", "if", "in", "into", "is", "it", "its", "me", "my", "of", "on", "or", "our",
        "she", "so", "than", "that", "the", "their", "them", "then", "there", "these", "they", "this", "those", "to", "us", "was", "we",
        "were", "what", "when", "where", "which", "who", "whom", "whose", "why", "will", "with", "would", "you", "your", "about", "any",
        "some", "all", "not", "no", "yes", "should", "shall", "may", "might", "must", "also", "very", "just", "tell", "according",
        "document", "documents", "please", "give", "list", "describe", "say", "said", "says", "many", "much", "long", "often",
    };

    /// <summary>Sentences as the chunker cuts them; each is a verbatim span of <paramref name="text"/>.</summary>
    public static List<string> Sentences(string text) => SentenceSplitter.Split(text);

    /// <summary>Lower-case content words (letters and digits), plural "s" stripped, stop words dropped.</summary>
    public static List<string> Terms(string text)
    {
        var terms = new List<string>();
        var word = new StringBuilder();
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsLetterOrDigit(c))
            {
                word.Append(char.ToLowerInvariant(c));
            }
            else
            {
                Flush(word, terms);
            }
        }

        Flush(word, terms);
        return terms;
    }

    private static void Flush(StringBuilder word, List<string> terms)
    {
        if (word.Length == 0)
        {
            return;
        }

        var term = word.ToString();
        word.Clear();
        if (StopWords.Contains(term) || (term.Length == 1 && !char.IsDigit(term[0])))
        {
            return;
        }

        // A light stemmer: "skills" ~ "skill", "processes" ~ "process"; "ss" endings ("process") stay.
        if (term.Length > 4 && term.EndsWith("es", StringComparison.Ordinal) && term[^3] is 's' or 'x' or 'z' or 'h')
        {
            term = term[..^2];
        }
        else if (term.Length > 3 && term[^1] == 's' && term[^2] != 's')
        {
            term = term[..^1];
        }

        terms.Add(term.ToString(CultureInfo.InvariantCulture));
    }
}
