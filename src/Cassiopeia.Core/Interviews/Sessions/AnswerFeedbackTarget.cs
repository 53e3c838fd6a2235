using Cassiopeia.Core.Data;
using Cassiopeia.Core.Interviews.Feedback;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>Lets users rate the feedback on a stored answer of their organization.</summary>
public sealed class AnswerFeedbackTarget(AppDbContext db) : IFeedbackTarget
{
    public string TargetType => FeedbackTargetTypes.Answer;

    public Task<bool> ExistsAsync(string id, CancellationToken ct) => db.InterviewAnswers.AnyAsync(a => a.Id == id, ct);
}
