using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Interviews.Feedback;

/// <summary>A user's rating (-1 or 1, with an optional comment) of one AI output.</summary>
public sealed class AiFeedback : IOrganizationScoped
{
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    public required string UserId { get; init; }

    public string? ApiKeyId { get; init; }

    /// <summary>One of <see cref="FeedbackTargetTypes.All"/>.</summary>
    public required string TargetType { get; init; }

    public required string TargetId { get; init; }

    public int Rating { get; init; }

    public string? Comment { get; init; }

    public DateTime CreatedUtc { get; init; }
}

public static class FeedbackTargetTypes
{
    public const string Match = "match";
    public const string Interview = "interview";
    public const string Question = "question";
    public const string Answer = "answer";
    public const string Ask = "ask";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Match, Interview, Question, Answer, Ask };

    /// <summary>Outputs we store, whose id must name one of the caller's organization. Answers to <c>ask</c> are not stored.</summary>
    public static readonly IReadOnlySet<string> Stored = new HashSet<string>(StringComparer.Ordinal) { Match, Interview, Question, Answer };
}

/// <summary>Tells whether a stored AI output of one type exists in the current organization.</summary>
public interface IFeedbackTarget
{
    string TargetType { get; }

    Task<bool> ExistsAsync(string id, CancellationToken ct);
}

public sealed record FeedbackView(string Id, string TargetType, string TargetId, int Rating, string? Comment, DateTime CreatedAt);
