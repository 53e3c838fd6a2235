namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>What a rubric criterion looks at; the offline scorer picks its signals by it.</summary>
public enum CriterionKind
{
    /// <summary>Correct, relevant content: the key points named.</summary>
    Substance,

    /// <summary>Reasoning beyond the first answer: trade-offs, alternatives, failure modes.</summary>
    Depth,

    /// <summary>A concrete example from the candidate's own work.</summary>
    Example,

    /// <summary>STAR: the situation and the task.</summary>
    Situation,

    /// <summary>STAR: what the candidate personally did.</summary>
    Action,

    /// <summary>STAR: the outcome, ideally measured.</summary>
    Result,

    /// <summary>A gap acknowledged plainly, with related experience that transfers.</summary>
    Transfer,

    /// <summary>A concrete plan to close a gap.</summary>
    Plan,
}

/// <summary>
/// One criterion of a question's rubric. <paramref name="KeyPoints"/> are internal: words and phrases a
/// good answer mentions, used for scoring and never shown before the answer.
/// </summary>
public sealed record RubricCriterion(string Criterion, string Description, CriterionKind Kind, IReadOnlyList<string> KeyPoints);

/// <summary>
/// A generated interview question. <paramref name="Template"/> names the phrasing it came from (the
/// offline generator's template id, or <c>model</c>), so variety can be checked.
/// </summary>
public sealed record PracticeQuestion(
    string Text,
    QuestionCategory Category,
    Difficulty Difficulty,
    IReadOnlyList<RubricCriterion> Rubric,
    IReadOnlyList<EvidenceQuote> Sources,
    string Template);

/// <summary>What to generate: how many questions (1–30), an optional difficulty for all of them, an optional focus (a category name or a topic), and the seed that makes the set reproducible.</summary>
public sealed record QuestionRequest(int Count = QuestionRequest.DefaultCount, Difficulty? Difficulty = null, string? Focus = null, ulong Seed = 0)
{
    public const int DefaultCount = 8;
    public const int MaxCount = 30;
    public const int MaxFocusLength = 200;
}
