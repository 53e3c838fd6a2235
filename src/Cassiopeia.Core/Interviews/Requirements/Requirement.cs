namespace Cassiopeia.Core.Interviews.Requirements;

/// <summary>
/// One thing a job description asks of a candidate, as both the match and the question generator read it.
/// </summary>
/// <param name="Text">The requirement in the job description's words (a bullet or a sentence).</param>
/// <param name="Category">One of <see cref="RequirementCategories"/>.</param>
/// <param name="Importance">One of <see cref="RequirementImportance"/>.</param>
/// <param name="MinimumYears">Years of experience asked for ("5+ years of Go"), when the text says.</param>
/// <param name="KeyTerms">The words that carry the requirement (skills, tools, fields), lower case.</param>
/// <param name="ChunkId">The job description chunk it was read from, when known.</param>
public sealed record Requirement(string Text, string Category, string Importance, int? MinimumYears, IReadOnlyList<string> KeyTerms, string? ChunkId = null)
{
    public bool IsRequired => Importance == RequirementImportance.Required;
}

public static class RequirementCategories
{
    public const string Skill = "skill";
    public const string Experience = "experience";
    public const string Education = "education";
    public const string Responsibility = "responsibility";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Skill, Experience, Education, Responsibility };
}

public static class RequirementImportance
{
    public const string Required = "required";
    public const string Preferred = "preferred";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Required, Preferred };
}
