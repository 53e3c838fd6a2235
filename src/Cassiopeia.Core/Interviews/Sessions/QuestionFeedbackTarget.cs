using Cassiopeia.Core.Data;
using Cassiopeia.Core.Interviews.Feedback;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>Lets users rate a stored interview question (generated or follow-up) of their organization.</summary>
public sealed class QuestionFeedbackTarget(AppDbContext db) : IFeedbackTarget
{
    public string TargetType => FeedbackTargetTypes.Question;

    public Task<bool> ExistsAsync(string id, CancellationToken ct) => db.InterviewQuestions.AnyAsync(q => q.Id == id, ct);
}
