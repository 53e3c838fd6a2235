using Cassiopeia.Core.Interviews.Matching;
using Cassiopeia.Core.Interviews.Practice;
using Cassiopeia.Core.Interviews.Requirements;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>
/// Turns a match into the practice engines' input: each requirement with its status and CV evidence
/// (the JD chunk that states it as <see cref="PracticeRequirement.Origin"/>), and the claims of the CV's
/// screened chunks (hidden text and text addressed to a model never count).
/// </summary>
public static class PracticeMaterials
{
    public static PracticeMaterial From(MatchRun run)
    {
        var requirements = new List<PracticeRequirement>(run.View.Requirements.Count);
        for (var i = 0; i < run.View.Requirements.Count; i++)
        {
            var result = run.View.Requirements[i];
            var chunkId = i < run.Requirements.Count ? run.Requirements[i].ChunkId : null;
            requirements.Add(new PracticeRequirement(
                result.Requirement,
                Category(result.Category),
                result.Importance == RequirementImportance.Preferred ? Importance.Preferred : Importance.Required,
                Status(result.Status),
                result.KeyTerms.Select(t => AsWritten(t, result.Requirement)).ToList(),
                result.Evidence.Select(e => new EvidenceQuote(e.DocumentId, e.ChunkId, e.Quote)).ToList(),
                chunkId is null ? null : new EvidenceQuote(run.Match.JdDocumentId, chunkId, result.Requirement)));
        }

        var claims = CvClaims.Extract(run.CvChunks.Where(c => c.Usable)
            .Select(c => new ClaimSource(c.Chunk.DocumentId, c.Chunk.ChunkId, c.UsableText, c.Chunk.Suspect)));
        return new PracticeMaterial(requirements, claims);
    }

    private static RequirementCategory Category(string category) => category switch
    {
        RequirementCategories.Experience => RequirementCategory.Experience,
        RequirementCategories.Education => RequirementCategory.Education,
        RequirementCategories.Responsibility => RequirementCategory.Responsibility,
        _ => RequirementCategory.Skill,
    };

    private static RequirementStatus Status(string status) => status switch
    {
        MatchStatuses.Met => RequirementStatus.Met,
        MatchStatuses.Partial => RequirementStatus.Partial,
        _ => RequirementStatus.Missing,
    };

    /// <summary>The match keeps key terms in lower case; questions read better with the JD's own spelling ("Kubernetes", "PostgreSQL").</summary>
    private static string AsWritten(string term, string text)
    {
        var at = text.IndexOf(term, StringComparison.OrdinalIgnoreCase);
        return at < 0 ? term : text.Substring(at, term.Length);
    }
}
