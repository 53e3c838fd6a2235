namespace Cassiopeia.Core.Interviews.Practice;

public enum QuestionCategory
{
    /// <summary>How the candidate would use or has used a skill the JD asks for.</summary>
    Technical,

    /// <summary>A past situation that shows how the candidate works (answered best as STAR).</summary>
    Behavioural,

    /// <summary>A requirement the CV shows only partly or not at all.</summary>
    GapProbing,

    /// <summary>A role, project or achievement the CV claims, in depth.</summary>
    ExperienceDeepDive,
}

public enum Difficulty
{
    Easy,
    Medium,
    Hard,
}

/// <summary>The names categories and difficulties have in requests, responses and model output.</summary>
public static class PracticeNames
{
    public static readonly IReadOnlyList<string> Categories = ["technical", "behavioural", "gap-probing", "experience-deep-dive"];

    public static readonly IReadOnlyList<string> Difficulties = ["easy", "medium", "hard"];

    public static string Name(this QuestionCategory category) => Categories[(int)category];

    public static string Name(this Difficulty difficulty) => Difficulties[(int)difficulty];

    public static bool TryParseCategory(string? name, out QuestionCategory category)
    {
        var index = IndexOf(Categories, name);
        category = (QuestionCategory)Math.Max(index, 0);
        return index >= 0;
    }

    public static bool TryParseDifficulty(string? name, out Difficulty difficulty)
    {
        var index = IndexOf(Difficulties, name);
        difficulty = (Difficulty)Math.Max(index, 0);
        return index >= 0;
    }

    private static int IndexOf(IReadOnlyList<string> names, string? name)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (string.Equals(names[i], name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }
}
