using System.Globalization;
using System.Text;

namespace Cassiopeia.Core.Interviews.Matching;

/// <summary>
/// The match in a few sentences: the score and counts, the strongest matches (met requirements,
/// required ones first, best evidenced first) and the biggest gaps (missing before partial, required
/// before preferred), at most <see cref="Named"/> of each, and what was not counted.
/// </summary>
public static class MatchSummary
{
    public const int Named = 3;
    private const int LabelLength = 80;

    public static string Write(int score, IReadOnlyList<RequirementMatch> requirements, IReadOnlyList<Integrity.ScreenedChunk> cv, int flagCount)
    {
        if (requirements.Count == 0)
        {
            return "No requirements could be read from the job description, so there was nothing to match; the score is 0.";
        }

        var met = requirements.Count(r => r.Status == MatchStatuses.Met);
        var partial = requirements.Count(r => r.Status == MatchStatuses.Partial);
        var missing = requirements.Count - met - partial;
        var text = new StringBuilder().Append(CultureInfo.InvariantCulture, $"Score {score}/100 over {requirements.Count} requirements: {met} met, {partial} partly met, {missing} missing.");

        var strongest = requirements.Where(r => r.Status == MatchStatuses.Met)
            .OrderByDescending(r => r.Importance == Requirements.RequirementImportance.Required)
            .ThenByDescending(r => r.Evidence.Count)
            .Take(Named)
            .ToList();
        if (strongest.Count > 0)
        {
            text.Append(" Strongest matches: ").AppendJoin("; ", strongest.Select(r => Label(r.Requirement))).Append('.');
        }

        var gaps = requirements.Where(r => r.Status != MatchStatuses.Met)
            .OrderBy(r => r.Status == MatchStatuses.Missing ? 0 : 1)
            .ThenByDescending(r => r.Importance == Requirements.RequirementImportance.Required)
            .Take(Named)
            .ToList();
        if (gaps.Count > 0)
        {
            text.Append(" Biggest gaps: ").AppendJoin("; ", gaps.Select(Gap)).Append('.');
        }

        if (cv.Count > 0 && cv.All(c => !c.Usable))
        {
            text.Append(" Nothing in the CV could count as evidence.");
        }

        if (flagCount > 0)
        {
            text.Append(CultureInfo.InvariantCulture, $" {flagCount} passage{(flagCount == 1 ? " was" : "s were")} not counted (hidden text or instructions aimed at a model); see integrityFlags.");
        }

        return text.ToString();
    }

    private static string Gap(RequirementMatch r)
    {
        var status = r.Status == MatchStatuses.Missing ? "missing" : "partly met";
        var years = r.MinimumYears is { } asked && r.Status == MatchStatuses.Partial
            ? string.Create(CultureInfo.InvariantCulture, $", {asked}+ years asked, {(r.YearsFound is { } found ? $"{found:0.#} shown" : "none shown")}")
            : "";
        return $"{Label(r.Requirement)} ({r.Importance}, {status}{years})";
    }

    private static string Label(string text)
    {
        var flat = text.TrimEnd('.', ';', ' ');
        if (flat.Length <= LabelLength)
        {
            return flat;
        }

        var cut = flat.LastIndexOf(' ', LabelLength - 1);
        return flat[..(cut > LabelLength / 2 ? cut : LabelLength)] + "…";
    }
}
