using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>The candidate's answer to one question (one per question) and the feedback it got.</summary>
public sealed class InterviewAnswer : IOrganizationScoped
{
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    public required string InterviewId { get; init; }

    public required string QuestionId { get; init; }

    public required string UserId { get; init; }

    public required string Text { get; init; }

    /// <summary>0–100.</summary>
    public int Score { get; init; }

    /// <summary>JSON of <see cref="StoredFeedback"/>.</summary>
    public required string Feedback { get; init; }

    /// <summary>The rubric version that scored it (<c>rubric-offline-v1</c> or <c>rubric-llm-v1</c>).</summary>
    public required string RubricVersion { get; init; }

    /// <summary>The chat model that scored it, when one did.</summary>
    public string? Model { get; init; }

    /// <summary>The follow-up question offered after this answer, if any.</summary>
    public string? FollowUpQuestionId { get; init; }

    public DateTime CreatedUtc { get; init; }
}

/// <summary>What <see cref="InterviewAnswer.Feedback"/> holds.</summary>
public sealed record StoredFeedback(IReadOnlyList<Practice.CriterionScore> Criteria, IReadOnlyList<string> Strengths, IReadOnlyList<string> Improvements);
