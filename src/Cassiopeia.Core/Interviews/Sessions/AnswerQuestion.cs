using System.Diagnostics;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Interviews.Practice;
using Cassiopeia.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Core.Interviews.Sessions;

public sealed record AnswerQuestionRequest(string? Text);

/// <summary>
/// Scores the candidate's answer to one question of an interview against the question's rubric (with
/// the chat model when one is configured, else offline), stores answer and feedback, and offers the
/// follow-up question the scorer wrote as a new question of the interview, which can itself be
/// answered. Each question takes one answer. Empty, off-topic and copied answers are scored (low), not refused.
/// </summary>
public sealed partial class AnswerQuestion(AppDbContext db, Caller caller, ModelAnswerScorer scorer, IUsageRecorder usage, UsageMeter meter, TimeProvider time, ILogger<AnswerQuestion> logger)
{
    public const string Operation = "answer";
    public const int MaxAnswerLength = 10_000;

    /// <summary>Follow-ups of follow-ups stop here, so one question does not turn into an endless thread.</summary>
    public const int MaxFollowUpDepth = 2;

    public async Task<Result<AnsweredView>> HandleAsync(string interviewId, string questionId, AnswerQuestionRequest request, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(request.Text is not null, "text", "Required: the answer (an empty answer is scored, but the field must be there).")
            .Text(request.Text, "text", MaxAnswerLength);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (interviewId.Length > Ids.MaxLength || !await db.InterviewSessions.AnyAsync(i => i.Id == interviewId, ct))
        {
            return Error.NotFound("interview");
        }

        var question = questionId.Length > Ids.MaxLength ? null
            : await db.InterviewQuestions.AsNoTracking().FirstOrDefaultAsync(q => q.Id == questionId && q.InterviewId == interviewId, ct);
        if (question is null)
        {
            return Error.NotFound("question");
        }

        if (await db.InterviewAnswers.AnyAsync(a => a.QuestionId == question.Id, ct))
        {
            return Answered(question.Id);
        }

        var reserved = await meter.ReserveForModelAsync(Metrics.AnswersScored, 1, ct);
        if (!reserved.Succeeded)
        {
            return reserved.Error!;
        }

        Result<AnsweredView> answered;
        try
        {
            answered = await ScoreAsync(interviewId, question, request, ct);
        }
        catch
        {
            await meter.RefundAsync(reserved.Value);
            throw;
        }

        if (!answered.Succeeded)
        {
            await meter.RefundAsync(reserved.Value);
        }

        return answered;
    }

    private async Task<Result<AnsweredView>> ScoreAsync(string interviewId, InterviewQuestion question, AnswerQuestionRequest request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var scored = await scorer.ScoreAsync(StoredQuestions.ToPractice(question), request.Text, ct);
        var now = StoredTime.Now(time);
        var followUp = question.Depth < MaxFollowUpDepth && scored.Feedback.FollowUp.Trim() is { Length: > 0 } text
            ? new InterviewQuestion
            {
                Id = Ids.New("qst"),
                OrganizationId = caller.RequireOrganizationId,
                InterviewId = interviewId,
                Ordinal = await db.InterviewQuestions.Where(q => q.InterviewId == interviewId).MaxAsync(q => q.Ordinal, ct) + 1,
                Text = text,
                Category = question.Category,
                Difficulty = question.Difficulty,
                Rubric = question.Rubric,
                Sources = question.Sources,
                Template = StoredQuestions.FollowUpTemplate,
                FollowUpOf = question.Id,
                Depth = question.Depth + 1,
                CreatedUtc = now,
            }
            : null;
        var answer = new InterviewAnswer
        {
            Id = Ids.New("ans"),
            OrganizationId = caller.RequireOrganizationId,
            InterviewId = interviewId,
            QuestionId = question.Id,
            UserId = caller.RequireUserId,
            Text = request.Text!,
            Score = scored.Feedback.Score,
            Feedback = StoredQuestions.Serialize(new StoredFeedback(scored.Feedback.Criteria, scored.Feedback.Strengths, scored.Feedback.Improvements)),
            RubricVersion = scored.Version,
            Model = scored.Model,
            FollowUpQuestionId = followUp?.Id,
            CreatedUtc = now,
        };
        db.InterviewAnswers.Add(answer);
        meter.Append(meter.Event(Metrics.AnswersScored, 1));
        if (followUp is not null)
        {
            db.InterviewQuestions.Add(followUp);
        }

        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (db.IsUniqueViolation(e))
        {
            // Two answers to one question raced; the first one stands.
            return Answered(question.Id);
        }

        await usage.RecordAsync(new UsageRecord(answer.OrganizationId, caller.UserId, caller.ApiKeyId, Operation, scored.Model ?? "offline", scored.Usage, now), ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogScored(logger, answer.Id, question.Id, answer.Score, scored.Version, elapsed.TotalMilliseconds);
        return new AnsweredView(answer.Id, question.Id, StoredQuestions.Feedback(answer), followUp is null ? null : StoredQuestions.View(followUp), now);
    }

    private static Error Answered(string questionId) =>
        new(ErrorKind.Conflict, "question-answered", $"Question {questionId} already has an answer; answer the follow-up question or start a new interview to practise it again.");

    [LoggerMessage(Level = LogLevel.Information, Message = "Answer {AnswerId} to question {QuestionId}: score {Score} ({RubricVersion}) in {ElapsedMs:0} ms")]
    private static partial void LogScored(ILogger logger, string answerId, string questionId, int score, string rubricVersion, double elapsedMs);
}
