using System.Globalization;
using System.Text.RegularExpressions;

namespace Cassiopeia.Core.Answers;

/// <summary>
/// Turns the <c>[n]</c> markers of an answer into citations of the numbered sources. The quote is
/// the sentence of the cited chunk that shares the most content words with the claim the marker
/// ends (the answer's text since the previous marker), cut to <see cref="MaxQuoteLength"/> at a word
/// boundary; it is always a verbatim span of the chunk.
/// </summary>
public static partial class AnswerCitations
{
    public const int MaxQuoteLength = 300;

    /// <summary>Sources cited when the answer has no valid marker (see <see cref="Resolve"/>).</summary>
    public const int MaxInferredCitations = 3;

    /// <summary>The source numbers in the answer, in order of appearance, with the claim each one ends.</summary>
    public static List<(int Number, string Claim)> Markers(string answer)
    {
        var markers = new List<(int, string)>();
        var claimStart = 0;
        var lastClaim = "";
        foreach (Match match in MarkerPattern().Matches(answer))
        {
            var claim = answer[claimStart..match.Index].Trim();
            if (claim.Length > 0)
            {
                lastClaim = claim;
            }

            claimStart = match.Index + match.Length;
            foreach (var part in match.Groups["numbers"].Value.Split([',', ';'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
                {
                    markers.Add((number, lastClaim));
                }
            }
        }

        return markers;
    }

    /// <summary>
    /// One citation per cited source, in order of first citation; markers naming no source are
    /// ignored. An answer that cites nothing valid (models forget) cites the sources that share
    /// content words with it, at most <see cref="MaxInferredCitations"/>, best first, since they
    /// were its evidence; the no-answer reply and an answer sharing no words cite nothing.
    /// </summary>
    public static List<Citation> Resolve(string answer, IReadOnlyList<PromptSource> sources)
    {
        var byNumber = sources.ToDictionary(s => s.Number);
        var citations = new List<Citation>();
        var cited = new HashSet<int>();
        foreach (var (number, claim) in Markers(answer))
        {
            if (byNumber.TryGetValue(number, out var source) && cited.Add(number))
            {
                citations.Add(new Citation(source.DocumentId, source.ChunkId, Quote(source.Text, claim)));
            }
        }

        if (citations.Count > 0 || IsNoAnswer(answer))
        {
            return citations;
        }

        var answerTerms = AnswerText.Terms(answer).ToHashSet(StringComparer.Ordinal);
        return sources
            .Select(s => (Source: s, Shared: AnswerText.Terms(s.Text).Distinct(StringComparer.Ordinal).Count(answerTerms.Contains)))
            .Where(s => s.Shared > 0)
            .OrderByDescending(s => s.Shared).ThenBy(s => s.Source.Number)
            .Take(MaxInferredCitations)
            .Select(s => new Citation(s.Source.DocumentId, s.Source.ChunkId, Quote(s.Source.Text, answer)))
            .ToList();
    }

    public static bool IsNoAnswer(string answer) =>
        answer.Trim().TrimEnd('.').Equals(GroundedPrompt.NoAnswer.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>The sentence of <paramref name="text"/> that best supports <paramref name="claim"/>, verbatim and at most <see cref="MaxQuoteLength"/> characters.</summary>
    public static string Quote(string text, string claim)
    {
        var claimTerms = AnswerText.Terms(claim).ToHashSet(StringComparer.Ordinal);
        var best = "";
        var bestShared = -1;
        foreach (var sentence in AnswerText.Sentences(text))
        {
            var shared = AnswerText.Terms(sentence).Distinct(StringComparer.Ordinal).Count(claimTerms.Contains);
            if (shared > bestShared)
            {
                (best, bestShared) = (sentence, shared);
            }
        }

        return Shorten(best.Length > 0 ? best : text.Trim());
    }

    private static string Shorten(string quote)
    {
        if (quote.Length <= MaxQuoteLength)
        {
            return quote;
        }

        var cut = quote.LastIndexOf(' ', MaxQuoteLength);
        return quote[..(cut > MaxQuoteLength / 2 ? cut : MaxQuoteLength)].TrimEnd();
    }

    /// <summary>[1], [1, 2], [1][2] and [source 1]: a bracket of numbers, optionally named "source".</summary>
    [GeneratedRegex(@"\[(?:sources?\s*)?(?<numbers>\d{1,4}(?:\s*[,;]\s*\d{1,4})*)\]", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 1000)]
    private static partial Regex MarkerPattern();
}
