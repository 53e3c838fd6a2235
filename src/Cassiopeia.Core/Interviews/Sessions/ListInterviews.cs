using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>The organization's interviews, newest first, a page at a time (keyset on the time-ordered id).</summary>
public sealed class ListInterviews(AppDbContext db)
{
    public async Task<Page<InterviewSummaryView>> HandleAsync(PageRequest page, CancellationToken ct)
    {
        var rows = await db.InterviewSessions.AsNoTracking()
#pragma warning disable CA1309 // translated to SQL, where ids compare ordinally (binary / "C" collation)
            .Where(i => page.After == null || string.Compare(i.Id, page.After) < 0)
#pragma warning restore CA1309
            .OrderByDescending(i => i.Id)
            .Take(page.Limit + 1)
            .Select(i => new InterviewSummaryView(
                i.Id, i.CvDocumentId, i.JdDocumentId, i.MatchId, i.PromptVersion,
                db.InterviewQuestions.Count(q => q.InterviewId == i.Id),
                db.InterviewAnswers.Count(a => a.InterviewId == i.Id),
                i.CreatedUtc))
            .ToListAsync(ct);
        return PageRequest.ToPage(rows, page.Limit, i => i.Id);
    }
}
