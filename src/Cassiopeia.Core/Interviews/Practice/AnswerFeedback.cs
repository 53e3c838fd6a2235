namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>One rubric criterion scored 0–10 with a comment on the answer.</summary>
public sealed record CriterionScore(string Criterion, int Score, string Comment);

/// <summary>
/// The assessment of one answer: overall 0–100, each criterion 0–10, strengths and improvements that
/// quote or name parts of the answer, and a follow-up question that probes what it left out.
/// </summary>
public sealed record AnswerFeedback(
    int Score,
    IReadOnlyList<CriterionScore> Criteria,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<string> Improvements,
    string FollowUp);
