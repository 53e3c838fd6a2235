using System.Text.RegularExpressions;

namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>Turns requirements and claims into the subjects of each category, best first.</summary>
internal static partial class QuestionSubjects
{
    private const int MaxTermLength = 60;
    private const int MaxTermWords = 6;

    public static List<QuestionSubject> For(QuestionCategory category, PracticeMaterial material, IReadOnlySet<string> focus, SeededRandom random)
    {
        var subjects = category switch
        {
            QuestionCategory.Technical => material.Requirements
                .Where(r => r.Category != RequirementCategory.Education)
                .Select(r => (Subject: FromRequirement(r, focus), Rank: (r.Status == RequirementStatus.Missing ? 2 : 0) + (r.Category == RequirementCategory.Responsibility ? 1 : 0) + Weight(r))),
            QuestionCategory.Behavioural => material.Requirements
                .Where(r => r.Category != RequirementCategory.Education)
                .Select(r => (Subject: FromRequirement(r, focus), Rank: (r.Category == RequirementCategory.Responsibility ? 0 : 1) + Weight(r))),
            QuestionCategory.GapProbing => material.Requirements
                .Where(r => r.Status != RequirementStatus.Met)
                .Select(r => (Subject: FromRequirement(r, focus), Rank: (r.Status == RequirementStatus.Missing ? 0 : 1) + Weight(r))),
            _ => material.Claims
                .Select(c => (Subject: FromClaim(c, focus), Rank: c.Kind switch { ClaimKind.Achievement => 0, ClaimKind.Project => 1, _ => 2 })),
        };

        // Shuffle first so that equal subjects come in a seeded order; the sort below is stable.
        // Text addressing a model ("ignore previous instructions") is never something to ask about.
        var list = subjects.Where(s => s.Subject.Quote.Length > 0 && !PracticeText.IsInstructionLike(s.Subject.Quote)).ToList();
        random.Shuffle(list);
        return list.OrderByDescending(s => s.Subject.Focus > 0).ThenBy(s => s.Rank).ThenByDescending(s => s.Subject.Focus)
            .Select(s => s.Subject).ToList();
    }

    /// <summary>A key term fit to stand in a sentence as a noun phrase, or null.</summary>
    public static string? CleanTerm(string? term)
    {
        if (term is null)
        {
            return null;
        }

        var clean = Spaces().Replace(term, " ").Trim().Trim('.', ',', ';', ':', '-', '•', '*', ' ');
        return clean.Length is 0 or > MaxTermLength
            || clean.Split(' ').Length > MaxTermWords
            || clean.IndexOfAny(['{', '}', '[', ']', '<', '>', '"', '“', '”', '\n']) >= 0
            || !clean.Any(char.IsLetter)
            || PracticeText.IsInstructionLike(clean)
            ? null
            : clean;
    }

    /// <summary>"3+ years of experience with distributed systems, ideally …" gives "distributed systems".</summary>
    public static string? DeriveTerm(string text)
    {
        var match = SkillPhrase().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var term = match.Groups["term"].Value;
        var stop = StopPhrase().Match(term);
        return CleanTerm(stop.Success ? term[..stop.Index] : term);
    }

    public static IReadOnlySet<string> FocusStems(string? focus) =>
        focus is null || FocusCategory(focus) is not null ? new HashSet<string>() : PracticeText.ContentStems(focus).ToHashSet(StringComparer.Ordinal);

    /// <summary>The category a focus names ("behavioural", "gaps", "my projects"), if it names one.</summary>
    public static QuestionCategory? FocusCategory(string? focus)
    {
        if (focus is null)
        {
            return null;
        }

        if (PracticeNames.TryParseCategory(focus, out var named))
        {
            return named;
        }

        var words = PracticeText.Words(focus);
        return words.Count > 3 ? null
            : words.Any(w => w is "technical" or "tech" or "technology" or "skills") ? QuestionCategory.Technical
            : words.Any(w => w is "behavioural" or "behavioral" or "behaviour" or "behavior" or "star" or "soft") ? QuestionCategory.Behavioural
            : words.Any(w => w is "gap" or "gaps" or "missing" or "weaknesses") ? QuestionCategory.GapProbing
            : words.Any(w => w is "experience" or "cv" or "resume" or "projects" or "achievements" or "deep-dive") ? QuestionCategory.ExperienceDeepDive
            : null;
    }

    private static int Weight(PracticeRequirement requirement) => requirement.Importance == Importance.Required ? 0 : 3;

    private static QuestionSubject FromRequirement(PracticeRequirement requirement, IReadOnlySet<string> focus)
    {
        var term = requirement.KeyTerms.Select(CleanTerm).FirstOrDefault(t => t is not null)
            ?? (requirement.Category == RequirementCategory.Education ? null : DeriveTerm(requirement.Text));
        var quote = PracticeText.Clean(requirement.Text);
        List<EvidenceQuote> sources = requirement.Origin is null ? [] : [requirement.Origin];
        sources.AddRange(requirement.Evidence.Take(3));
        var words = string.Join(' ', [quote, .. requirement.KeyTerms]);
        return new QuestionSubject(requirement, null, term, quote, sources, FocusScore(words, focus));
    }

    private static QuestionSubject FromClaim(CvClaim claim, IReadOnlySet<string> focus) =>
        new(null, claim, null, PracticeText.Clean(claim.Text), [claim.Quote], FocusScore(claim.Text, focus));

    private static double FocusScore(string text, IReadOnlySet<string> focus)
    {
        if (focus.Count == 0)
        {
            return 0;
        }

        var stems = PracticeText.ContentStems(text).ToHashSet(StringComparer.Ordinal);
        return focus.Count(stems.Contains) / (double)focus.Count;
    }

    [GeneratedRegex(@"^\s*(?:\d+\s*\+?\s*(?:years?|yrs)\s+(?:of\s+)?)?(?:(?:strong|solid|proven|deep|good|excellent|hands-on|working|professional|commercial|practical|demonstrable|in-depth)\s+)*(?:experience|knowledge|understanding|proficiency|expertise|familiarity|background|skills?|fluency)\s+(?:with|in|of|using|on)\s+(?<term>.+)$", RegexOptions.IgnoreCase)]
    private static partial Regex SkillPhrase();

    [GeneratedRegex(@"[,;:(]|\s(such as|including|e\.g\.|for example|ideally|preferably|and/or)\s|\s(is|are)\s", RegexOptions.IgnoreCase)]
    private static partial Regex StopPhrase();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Spaces();
}
