using System.Text.RegularExpressions;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>A chunk of the CV to take claims from. Chunks holding text hidden from a reader (<paramref name="Suspect"/>) give none.</summary>
public sealed record ClaimSource(string DocumentId, string ChunkId, string Text, bool Suspect = false);

/// <summary>
/// Picks the sentences of a CV worth asking about: achievements (a number with a verb of change:
/// "cut p95 latency by 40 %"), projects (a sentence led by an action verb: "Built the billing
/// pipeline in Go") and roles (a job title with an employer or dates). Instruction-like text aimed
/// at a model never counts.
/// </summary>
public static partial class CvClaims
{
    public const int MaxClaims = 60;

    private static readonly HashSet<string> ActionVerbs = new(StringComparer.Ordinal)
    {
        "architected", "automated", "built", "championed", "co-founded", "coached", "configured", "coordinated", "created",
        "cut", "debugged", "decreased", "defined", "delivered", "deployed", "designed", "developed", "doubled", "drove",
        "established", "expanded", "founded", "grew", "halved", "headed", "implemented", "improved", "increased",
        "integrated", "introduced", "launched", "led", "maintained", "managed", "mentored", "migrated", "modernised",
        "modernized", "optimised", "optimized", "orchestrated", "organised", "organized", "owned", "pioneered", "planned",
        "produced", "published", "raised", "ran", "rebuilt", "redesigned", "reduced", "refactored", "replaced",
        "rewrote", "saved", "scaled", "secured", "set", "shipped", "simplified", "spearheaded", "standardised",
        "standardized", "streamlined", "supervised", "taught", "trained", "tripled", "wrote",
    };

    private static readonly HashSet<string> ChangeWords = new(StringComparer.Ordinal)
    {
        "cut", "decreased", "doubled", "grew", "halved", "improved", "increased", "lowered", "raised", "reduced",
        "saved", "tripled", "boosted", "shortened", "accelerated", "generated", "won", "served", "handled", "processed",
        "scaled", "grown", "reaching", "achieving", "from", "by", "to", "over", "more", "less", "fewer", "faster",
    };

    public static IReadOnlyList<CvClaim> Extract(IEnumerable<ClaimSource> chunks)
    {
        var claims = new List<CvClaim>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var chunk in chunks)
        {
            if (chunk.Suspect)
            {
                continue;
            }

            foreach (var sentence in SentenceSplitter.Split(chunk.Text))
            {
                var text = PracticeText.Clean(sentence);
                var kind = Classify(text);
                if (kind is null || PracticeText.IsInstructionLike(text) || !seen.Add(PracticeText.Normalized(text)))
                {
                    continue;
                }

                claims.Add(new CvClaim(text, kind.Value, chunk.DocumentId, chunk.ChunkId));
                if (claims.Count == MaxClaims)
                {
                    return claims;
                }
            }
        }

        return claims;
    }

    public static ClaimKind? Classify(string sentence)
    {
        var words = PracticeText.Words(sentence);
        if (words.Count is < 3 or > 60)
        {
            return null;
        }

        var actionAt = words.FindIndex(w => ActionVerbs.Contains(w));
        var ledByAction = actionAt is >= 0 and <= 2;
        if (ledByAction && PracticeText.HasNumber(sentence) && words.Any(ChangeWords.Contains))
        {
            return ClaimKind.Achievement;
        }

        if (ledByAction && words.Count >= 4)
        {
            return ClaimKind.Project;
        }

        return words.Count <= 16 && TitlePattern().IsMatch(sentence) && (EmployerPattern().IsMatch(sentence) || YearPattern().IsMatch(sentence))
            ? ClaimKind.Role
            : null;
    }

    [GeneratedRegex(@"\b(engineer|developer|programmer|manager|lead|director|analyst|scientist|consultant|architect|designer|intern|specialist|officer|administrator|coordinator|head of|vp|cto|ceo|founder|nurse|teacher|researcher|technician|accountant|editor|writer|product owner|scrum master)s?\b", RegexOptions.IgnoreCase)]
    private static partial Regex TitlePattern();

    [GeneratedRegex(@"\s(at|@|for|with)\s+\p{Lu}|,\s*\p{Lu}")]
    private static partial Regex EmployerPattern();

    [GeneratedRegex(@"\b(19|20)\d{2}\b")]
    private static partial Regex YearPattern();
}
