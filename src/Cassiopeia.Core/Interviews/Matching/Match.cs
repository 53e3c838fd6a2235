using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Interviews.Matching;

/// <summary>
/// A stored CV↔JD match. The per-requirement results and integrity flags are kept as one JSON
/// document (<see cref="Details"/>): they are written once, read whole, and never queried into.
/// Deleting either document deletes the match (it quotes the CV).
/// </summary>
public sealed class Match : IOrganizationScoped
{
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    public required string UserId { get; init; }

    public required string CvDocumentId { get; init; }

    public required string JdDocumentId { get; init; }

    /// <summary>0–100, see <see cref="MatchScore"/>.</summary>
    public int Score { get; init; }

    public required string Summary { get; init; }

    /// <summary>The prompt version (kind <c>match</c>) in force when the match was made, e.g. <c>match-v1</c>.</summary>
    public required string PromptVersion { get; init; }

    /// <summary><c>model</c> when a language model extracted the requirements, <c>rules</c> otherwise.</summary>
    public required string Extractor { get; init; }

    /// <summary>The embedding model whose similarities classified the evidence.</summary>
    public required string EmbeddingModelId { get; init; }

    /// <summary>JSON of <see cref="MatchDetails"/>.</summary>
    public required string Details { get; init; }

    public DateTime CreatedUtc { get; init; }
}

/// <summary>What <see cref="Match.Details"/> holds.</summary>
public sealed record MatchDetails(IReadOnlyList<RequirementMatch> Requirements, IReadOnlyList<IntegrityFlag> IntegrityFlags);
