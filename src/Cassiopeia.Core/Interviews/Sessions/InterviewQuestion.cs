using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>
/// One question of an interview: generated with the set, or a follow-up offered after an answer
/// (<see cref="FollowUpOf"/>). The rubric is stored with its internal key points, which the API never shows.
/// </summary>
public sealed class InterviewQuestion : IOrganizationScoped
{
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    public required string InterviewId { get; init; }

    /// <summary>Position in the interview: generated questions first, follow-ups after them in the order offered.</summary>
    public int Ordinal { get; init; }

    public required string Text { get; init; }

    /// <summary>A category name of <see cref="Practice.PracticeNames.Categories"/>.</summary>
    public required string Category { get; init; }

    /// <summary>A difficulty name of <see cref="Practice.PracticeNames.Difficulties"/>.</summary>
    public required string Difficulty { get; init; }

    /// <summary>JSON array of <see cref="Practice.RubricCriterion"/> (with key points).</summary>
    public required string Rubric { get; init; }

    /// <summary>JSON array of <see cref="Practice.EvidenceQuote"/>: the chunks the question rests on.</summary>
    public required string Sources { get; init; }

    /// <summary>The template or engine that phrased it (<c>model</c>, <c>follow-up</c>, or an offline template id).</summary>
    public required string Template { get; init; }

    /// <summary>The question whose answer this follow-up probes; null for a generated question.</summary>
    public string? FollowUpOf { get; init; }

    /// <summary>0 for a generated question, one more than its parent for a follow-up.</summary>
    public int Depth { get; init; }

    public DateTime CreatedUtc { get; init; }
}
