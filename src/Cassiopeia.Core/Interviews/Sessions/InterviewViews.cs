using Cassiopeia.Core.Interviews.Practice;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>A rubric criterion as the candidate sees it (its key points stay on the server).</summary>
public sealed record RubricItemView(string Criterion, string Description);

public sealed record QuestionView(
    string Id,
    string Text,
    string Category,
    string Difficulty,
    IReadOnlyList<RubricItemView> Rubric,
    IReadOnlyList<EvidenceQuote> Sources,
    string? FollowUpOf,
    DateTime CreatedAt);

/// <summary>Feedback on an answer: overall 0–100, criteria 0–10, and the rubric version that scored it.</summary>
public sealed record AnswerFeedbackView(
    int Score,
    IReadOnlyList<CriterionScore> Criteria,
    IReadOnlyList<string> Strengths,
    IReadOnlyList<string> Improvements,
    string RubricVersion);

public sealed record AnswerView(string Id, string QuestionId, string Text, AnswerFeedbackView Feedback, string? FollowUpQuestionId, DateTime CreatedAt);

/// <summary>What answering a question returns: the feedback and the follow-up question now pending (null when none is offered).</summary>
public sealed record AnsweredView(string Id, string QuestionId, AnswerFeedbackView Feedback, QuestionView? FollowUp, DateTime CreatedAt);

/// <summary>An interview with its questions, the answers and feedback so far, and the follow-up waiting for an answer.</summary>
public sealed record InterviewView(
    string Id,
    string CvDocumentId,
    string JdDocumentId,
    string MatchId,
    string? Difficulty,
    string? Focus,
    string PromptVersion,
    IReadOnlyList<QuestionView> Questions,
    IReadOnlyList<AnswerView> Answers,
    QuestionView? PendingFollowUp,
    DateTime CreatedAt);

public sealed record InterviewSummaryView(string Id, string CvDocumentId, string JdDocumentId, string MatchId, string PromptVersion, int QuestionCount, int AnswerCount, DateTime CreatedAt);
