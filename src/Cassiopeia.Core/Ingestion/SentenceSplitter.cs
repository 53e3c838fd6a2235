namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// Rule-based sentence boundaries, good enough to cut an over-long block and to choose overlap:
/// a sentence ends at . ! ? … followed by a space and a capital, digit or opening mark (so "e.g. the",
/// "Dr. Smith", "J. Doe" and "3.5" stay whole), at CJK full stops, and at line breaks.
/// </summary>
internal static class SentenceSplitter
{
    private static readonly HashSet<string> Abbreviations = new(StringComparer.OrdinalIgnoreCase)
    {
        "e.g", "i.e", "cf", "vs", "approx", "incl", "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "no", "nr", "fig",
        "inc", "ltd", "co", "corp", "dept", "univ", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
    };

    public static List<string> Split(string text)
    {
        var sentences = new List<string>();
        var start = 0;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            int end;
            if (c == '\n')
            {
                Add(sentences, text, start, i);
                start = i + 1;
                continue;
            }

            if (c is '。' or '！' or '？')
            {
                end = i + 1;
            }
            else if (c is '.' or '!' or '?' or '…' && EndsSentence(text, i))
            {
                end = i + 1;
                while (end < text.Length && text[end] is '"' or '\'' or ')' or ']' or '”' or '’' or '»')
                {
                    end++;
                }
            }
            else
            {
                continue;
            }

            Add(sentences, text, start, end);
            start = end;
            i = end - 1;
        }

        Add(sentences, text, start, text.Length);
        return sentences;
    }

    private static bool EndsSentence(string text, int at)
    {
        var next = at + 1;
        while (next < text.Length && text[next] is '"' or '\'' or ')' or ']' or '”' or '’' or '»')
        {
            next++;
        }

        if (next >= text.Length)
        {
            return true;
        }

        if (!char.IsWhiteSpace(text[next]))
        {
            return false;
        }

        while (next < text.Length && text[next] is ' ' or '\t')
        {
            next++;
        }

        if (next >= text.Length || text[next] == '\n')
        {
            return true;
        }

        var following = text[next];
        if (!(char.IsUpper(following) || char.IsDigit(following) || following is '"' or '“' or '‘' or '(' or '[' or '•' or '-' or '«'))
        {
            return false;
        }

        return text[at] != '.' || !IsAbbreviation(text, at);
    }

    private static bool IsAbbreviation(string text, int dot)
    {
        var wordStart = dot;
        while (wordStart > 0 && !char.IsWhiteSpace(text[wordStart - 1]) && text[wordStart - 1] is not ('(' or '[' or '"' or '“'))
        {
            wordStart--;
        }

        var word = text.AsSpan(wordStart, dot - wordStart);
        // Initials ("J. Doe") and dotted forms ("Ph.D.", "U.S.") rarely end a sentence in CVs.
        return (word.Length == 1 && char.IsLetter(word[0])) || word.Contains('.')
            || Abbreviations.GetAlternateLookup<ReadOnlySpan<char>>().Contains(word);
    }

    private static void Add(List<string> sentences, string text, int start, int end)
    {
        var sentence = text.AsSpan(start, end - start).Trim();
        if (!sentence.IsEmpty)
        {
            sentences.Add(sentence.ToString());
        }
    }
}
