using System.Text.Json;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Interviews.Feedback;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Interviews.Matching;

/// <summary>Reads a stored match of the current organization (the tenant filter scopes the query).</summary>
public sealed class GetMatch(AppDbContext db) : IFeedbackTarget
{
    public string TargetType => FeedbackTargetTypes.Match;

    public async Task<MatchView?> HandleAsync(string id, CancellationToken ct)
    {
        var match = await db.Matches.AsNoTracking().FirstOrDefaultAsync(m => m.Id == id, ct);
        if (match is null)
        {
            return null;
        }

        var details = JsonSerializer.Deserialize<MatchDetails>(match.Details, CreateMatch.Json)!;
        return View(match, details.Requirements, details.IntegrityFlags);
    }

    public Task<bool> ExistsAsync(string id, CancellationToken ct) => db.Matches.AnyAsync(m => m.Id == id, ct);

    public static MatchView View(Match match, IReadOnlyList<RequirementMatch> requirements, IReadOnlyList<IntegrityFlag> flags) =>
        new(match.Id, match.CvDocumentId, match.JdDocumentId, match.Score, match.Summary, requirements, flags, match.PromptVersion, match.Extractor, match.CreatedUtc);
}
