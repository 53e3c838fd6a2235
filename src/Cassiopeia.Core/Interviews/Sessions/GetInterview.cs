using Cassiopeia.Core.Data;
using Cassiopeia.Core.Interviews.Feedback;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>
/// Reads an interview of the current organization with its questions, answers and feedback so far,
/// and the follow-up question waiting for an answer (the newest unanswered follow-up).
/// </summary>
public sealed class GetInterview(AppDbContext db) : IFeedbackTarget
{
    public string TargetType => FeedbackTargetTypes.Interview;

    public async Task<InterviewView?> HandleAsync(string id, CancellationToken ct)
    {
        var interview = await db.InterviewSessions.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id, ct);
        if (interview is null)
        {
            return null;
        }

        var questions = await db.InterviewQuestions.AsNoTracking().Where(q => q.InterviewId == id).OrderBy(q => q.Ordinal).ToListAsync(ct);
        var answers = await db.InterviewAnswers.AsNoTracking().Where(a => a.InterviewId == id).ToListAsync(ct);
        var answered = answers.Select(a => a.QuestionId).ToHashSet(StringComparer.Ordinal);
        var ordinals = questions.ToDictionary(q => q.Id, q => q.Ordinal, StringComparer.Ordinal);
        var pending = questions.LastOrDefault(q => q.FollowUpOf is not null && !answered.Contains(q.Id));
        return new InterviewView(
            interview.Id, interview.CvDocumentId, interview.JdDocumentId, interview.MatchId, interview.Difficulty, interview.Focus, interview.PromptVersion,
            questions.ConvertAll(StoredQuestions.View),
            answers.OrderBy(a => ordinals.GetValueOrDefault(a.QuestionId)).Select(StoredQuestions.View).ToList(),
            pending is null ? null : StoredQuestions.View(pending),
            interview.CreatedUtc);
    }

    public Task<bool> ExistsAsync(string id, CancellationToken ct) => db.InterviewSessions.AnyAsync(i => i.Id == id, ct);
}
