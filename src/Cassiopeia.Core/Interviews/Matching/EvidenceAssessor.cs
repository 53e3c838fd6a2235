using Cassiopeia.Core.Interviews.Integrity;
using Cassiopeia.Core.Interviews.Requirements;

namespace Cassiopeia.Core.Interviews.Matching;

/// <summary>A CV chunk the search found for a requirement, with the embedder's cosine similarity to it.</summary>
public sealed record EvidenceCandidate(ScreenedChunk Chunk, double Similarity);

/// <summary>
/// Decides whether a requirement is met, partly met or missing from the chunks the search found for
/// it, and quotes the evidence. Two signals, both documented in docs/architecture.md:
/// <list type="bullet">
/// <item><b>coverage</b>: the share of the requirement's key terms found in the best
/// <see cref="CandidatesConsidered"/> usable chunks (canonical word forms, so "designing" finds
/// "designed"; of alternatives written "X or Y", either one covers both);</item>
/// <item><b>similarity</b>: the best cosine between the requirement's and a chunk's embedding, rescaled
/// from [<c>floor</c>, 1] to [0, 1], since static embedders place unrelated texts well above 0.</item>
/// </list>
/// Coverage is weighted: names ("Kubernetes", "C#") count double (<see cref="KeyTerms.Weights"/>).
/// Met: coverage ≥ <see cref="MetCoverage"/>. Partial: coverage ≥ <see cref="PartialCoverage"/>, or some
/// coverage with similarity ≥ <see cref="SupportingSimilarity"/>. Similarity never stands in for the key
/// terms on its own: averaged word vectors find any two sentences of working life alike. A requirement
/// without key terms is judged on similarity alone. When years are asked for, a met requirement whose years the CV
/// does not show (or shows fewer of) is partial.
/// </summary>
public static class EvidenceAssessor
{
    public const int CandidatesConsidered = 3;
    public const int MaxEvidence = 2;
    public const int MaxQuoteLength = 300;
    public const double MetCoverage = 0.6;
    public const double PartialCoverage = 0.34;
    public const double SupportingSimilarity = 0.6;

    public static RequirementMatch Assess(Requirement requirement, IReadOnlyList<EvidenceCandidate> candidates, ExperienceYears years, double similarityFloor)
    {
        var terms = requirement.KeyTerms.Select(KeyTerms.Canonical).Distinct(StringComparer.Ordinal).ToList();
        var usable = candidates.Where(c => c.Chunk.Usable).ToList();
        var considered = usable.Take(CandidatesConsidered)
            .Select(c => (Candidate: c, Found: Found(terms, KeyTerms.CanonicalWords(c.Chunk.UsableText))))
            .ToList();
        var found = considered.SelectMany(c => c.Found).ToHashSet(StringComparer.Ordinal);
        foreach (var (left, right) in Alternatives(requirement.Text, terms))
        {
            if (found.Contains(left) || found.Contains(right))
            {
                found.Add(left);
                found.Add(right);
            }
        }

        var weights = KeyTerms.Weights(requirement.Text, requirement.KeyTerms);
        var coverage = terms.Count == 0 ? 0 : terms.Where(found.Contains).Sum(t => weights[t]) / terms.Sum(t => weights[t]);
        var similarity = usable.Count == 0 ? 0 : Rescale(usable.Max(c => c.Similarity), similarityFloor);
        var supported = similarity >= SupportingSimilarity;

        string status;
        if (terms.Count == 0)
        {
            status = similarity >= SupportingSimilarity + 0.2 ? MatchStatuses.Met : supported ? MatchStatuses.Partial : MatchStatuses.Missing;
        }
        else
        {
            status = coverage >= MetCoverage ? MatchStatuses.Met
                : coverage >= PartialCoverage || (coverage > 0 && supported) ? MatchStatuses.Partial
                : MatchStatuses.Missing;
        }

        double? yearsFound = null;
        if (requirement.MinimumYears is { } asked)
        {
            yearsFound = years.For(terms);
            if (status == MatchStatuses.Met && (yearsFound is null || yearsFound < asked))
            {
                status = MatchStatuses.Partial;
            }
        }

        var evidence = status == MatchStatuses.Missing ? [] : Quotes(considered, terms);
        return new RequirementMatch(requirement.Text, requirement.Category, requirement.Importance, requirement.MinimumYears, requirement.KeyTerms, status, evidence, yearsFound);
    }

    /// <summary>A cosine moved from [<paramref name="floor"/>, 1] to [0, 1] (below the floor is 0).</summary>
    public static double Rescale(double cosine, double floor) => Math.Clamp((cosine - floor) / (1 - floor), 0, 1);

    /// <summary>Pairs of key terms the text offers as alternatives: "Kafka or RabbitMQ".</summary>
    private static List<(string Left, string Right)> Alternatives(string text, List<string> terms)
    {
        var words = KeyTerms.Words(text).ToList();
        var pairs = new List<(string, string)>();
        for (var i = 1; i + 1 < words.Count; i++)
        {
            if (words[i] == "or")
            {
                var (left, right) = (KeyTerms.Canonical(words[i - 1]), KeyTerms.Canonical(words[i + 1]));
                if (terms.Contains(left) && terms.Contains(right))
                {
                    pairs.Add((left, right));
                }
            }
        }

        return pairs;
    }

    private static List<string> Found(List<string> terms, HashSet<string> words) => terms.Where(words.Contains).ToList();

    /// <summary>The best sentence of each of the best chunks: most key terms, then the earlier chunk and sentence.</summary>
    private static List<Evidence> Quotes(List<(EvidenceCandidate Candidate, List<string> Found)> considered, List<string> terms)
    {
        var quotes = new List<Evidence>();
        foreach (var (candidate, found) in considered.OrderByDescending(c => c.Found.Count).ThenByDescending(c => c.Candidate.Similarity))
        {
            if (found.Count == 0 && quotes.Count > 0)
            {
                break;
            }

            var best = candidate.Chunk.Sentences
                .Select((s, i) => (Sentence: s, Index: i, Hits: terms.Count(KeyTerms.CanonicalWords(s).Contains)))
                .OrderByDescending(s => s.Hits)
                .ThenBy(s => s.Index)
                .First();
            quotes.Add(new Evidence(candidate.Chunk.Chunk.DocumentId, candidate.Chunk.Chunk.ChunkId, Clip(best.Sentence)));
            if (quotes.Count == MaxEvidence)
            {
                break;
            }
        }

        return quotes;
    }

    private static string Clip(string sentence)
    {
        if (sentence.Length <= MaxQuoteLength)
        {
            return sentence;
        }

        var cut = sentence.LastIndexOf(' ', MaxQuoteLength - 1);
        return sentence[..(cut > MaxQuoteLength / 2 ? cut : MaxQuoteLength)];
    }
}
