using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>
/// A practice interview: questions generated from a CV↔JD match, then answers with feedback and
/// follow-up questions. The session state (which follow-up is pending) lives in its rows. Deleting
/// either document deletes it, like the match it starts from.
/// </summary>
public sealed class Interview : IOrganizationScoped
{
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    public required string UserId { get; init; }

    public required string CvDocumentId { get; init; }

    public required string JdDocumentId { get; init; }

    /// <summary>The match made for this interview; its requirements and evidence fed the questions.</summary>
    public required string MatchId { get; init; }

    /// <summary>The difficulty asked for, when one was.</summary>
    public string? Difficulty { get; init; }

    public string? Focus { get; init; }

    /// <summary>The questions version that produced the set (<c>questions-offline-v1</c>, <c>questions-llm-v1</c> or an organization's own).</summary>
    public required string PromptVersion { get; init; }

    public DateTime CreatedUtc { get; init; }
}
