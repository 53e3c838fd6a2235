using System.Globalization;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// Cuts a sentence longer than a chunk into runs of words, and a word longer than a chunk (a URL,
/// an encoded blob) into runs of characters, each counted exactly and at most the limit.
/// </summary>
internal static class OversizedText
{
    public static IEnumerable<(string Text, int Tokens)> Fit(string sentence, ITokenCounter counter, int maxTokens)
    {
        var whole = counter.CountTokens(sentence);
        if (whole <= maxTokens)
        {
            yield return (sentence, whole);
            yield break;
        }

        var space = counter.CountTokens(" ");
        var run = new List<string>();
        var runTokens = 0;
        foreach (var word in sentence.Split([' ', '\t', '\n'], StringSplitOptions.RemoveEmptyEntries))
        {
            var tokens = counter.CountTokens(word);
            if (tokens > maxTokens)
            {
                foreach (var part in Flush(run, counter, maxTokens))
                {
                    yield return part;
                }

                foreach (var part in Characters(word, tokens, counter, maxTokens))
                {
                    yield return part;
                }

                runTokens = 0;
                continue;
            }

            var added = (run.Count > 0 ? space : 0) + tokens;
            if (runTokens + added > maxTokens)
            {
                foreach (var part in Flush(run, counter, maxTokens))
                {
                    yield return part;
                }

                added = tokens;
                runTokens = 0;
            }

            run.Add(word);
            runTokens += added;
        }

        foreach (var part in Flush(run, counter, maxTokens))
        {
            yield return part;
        }
    }

    /// <summary>Yields the words of <paramref name="run"/> as text, moving words off the end while the exact count is over.</summary>
    private static IEnumerable<(string, int)> Flush(List<string> run, ITokenCounter counter, int maxTokens)
    {
        var start = 0;
        while (start < run.Count)
        {
            var end = run.Count;
            var text = string.Join(' ', run.Skip(start).Take(end - start));
            var tokens = counter.CountTokens(text);
            while (tokens > maxTokens && end - start > 1)
            {
                end -= Math.Max(1, (end - start) / 8);
                text = string.Join(' ', run.Skip(start).Take(end - start));
                tokens = counter.CountTokens(text);
            }

            yield return (text, tokens);
            start = end;
        }

        run.Clear();
    }

    private static IEnumerable<(string, int)> Characters(string word, int wordTokens, ITokenCounter counter, int maxTokens)
    {
        var elements = StringInfo.ParseCombiningCharacters(word);
        var index = 0;
        // Start from the average characters per token and shrink until the exact count fits.
        var step = Math.Max(1, (int)((long)elements.Length * maxTokens / wordTokens * 9 / 10));
        while (index < elements.Length)
        {
            var take = Math.Min(step, elements.Length - index);
            while (true)
            {
                var text = Slice(word, elements, index, take);
                var tokens = counter.CountTokens(text);
                if (tokens <= maxTokens || take == 1)
                {
                    yield return (text, tokens);
                    break;
                }

                take = Math.Max(1, take * 3 / 4);
            }

            index += take;
        }
    }

    private static string Slice(string word, int[] elements, int first, int count)
    {
        var start = elements[first];
        var end = first + count < elements.Length ? elements[first + count] : word.Length;
        return word[start..end];
    }
}
