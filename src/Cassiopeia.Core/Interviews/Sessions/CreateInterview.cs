using System.Diagnostics;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Interviews.Matching;
using Cassiopeia.Core.Interviews.Practice;
using Cassiopeia.Core.Interviews.Prompts;
using Cassiopeia.Core.Usage;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary><paramref name="Seed"/> (optional, ≥ 0) makes the offline question set reproducible: the same documents, request and seed give the same questions.</summary>
public sealed record CreateInterviewRequest(string? CvDocumentId, string? JdDocumentId, int? QuestionCount, string? Difficulty, string? Focus, long? Seed = null);

/// <summary>
/// Starts a practice interview: matches the CV against the job description (the match is stored and
/// counted like any other), turns its requirements, statuses and evidence and the CV's claims into
/// questions (with the chat model when one is configured, else offline), and stores the questions
/// with their rubrics and the version that produced them. Usage is recorded for the match and for the
/// question generation.
/// </summary>
public sealed partial class CreateInterview(
    AppDbContext db, Caller caller, CreateMatch match, ModelQuestionGenerator generator, PromptVersions prompts,
    IUsageRecorder usage, UsageMeter meter, TimeProvider time, ILogger<CreateInterview> logger)
{
    public const string Operation = "questions";

    public static Validation Validate(CreateInterviewRequest request) => CreateMatch.Validate(new CreateMatchRequest(request.CvDocumentId, request.JdDocumentId))
        .Require(request.QuestionCount is null or >= 1 and <= QuestionRequest.MaxCount, "questionCount", $"From 1 to {QuestionRequest.MaxCount} (default {QuestionRequest.DefaultCount}).")
        .Require(request.Difficulty is null || PracticeNames.TryParseDifficulty(request.Difficulty, out _), "difficulty", "One of easy, medium, hard.")
        .Text(request.Focus, "focus", QuestionRequest.MaxFocusLength)
        .Require(request.Seed is null or >= 0, "seed", "A whole number from 0.");

    public async Task<Result<InterviewView>> HandleAsync(CreateInterviewRequest request, CancellationToken ct)
    {
        var validation = Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        // The questions asked for are taken from the quota first; what is not generated goes back.
        var reserved = await meter.ReserveForModelAsync(Metrics.InterviewQuestions, request.QuestionCount ?? QuestionRequest.DefaultCount, ct);
        if (!reserved.Succeeded)
        {
            return reserved.Error!;
        }

        Result<InterviewView> created;
        try
        {
            created = await CreateAsync(request, ct);
        }
        catch
        {
            await meter.RefundAsync(reserved.Value);
            throw;
        }

        await meter.RefundAsync(reserved.Value!, created.Succeeded ? created.Value!.Questions.Count : 0);
        return created;
    }

    private async Task<Result<InterviewView>> CreateAsync(CreateInterviewRequest request, CancellationToken ct)
    {
        var started = Stopwatch.GetTimestamp();
        var run = await match.RunAsync(new CreateMatchRequest(request.CvDocumentId, request.JdDocumentId), ct);
        if (!run.Succeeded)
        {
            return run.Error!;
        }

        Difficulty? difficulty = PracticeNames.TryParseDifficulty(request.Difficulty, out var d) ? d : null;
        var focus = request.Focus?.Trim() is { Length: > 0 } f ? f : null;
        var id = Ids.New("itv");
        var active = await prompts.ActiveAsync(PromptKinds.Questions, ct);
        var material = PracticeMaterials.From(run.Value!);
        var questionRequest = new QuestionRequest(request.QuestionCount ?? QuestionRequest.DefaultCount, difficulty, focus, (ulong)(request.Seed ?? Random.Shared.NextInt64()));
        var generated = await generator.GenerateAsync(material, questionRequest, active.OrganizationId is null ? null : (active.Version, active.Content), ct);

        var now = StoredTime.Now(time);
        var interview = new Interview
        {
            Id = id,
            OrganizationId = caller.RequireOrganizationId,
            UserId = caller.RequireUserId,
            CvDocumentId = run.Value!.Match.CvDocumentId,
            JdDocumentId = run.Value.Match.JdDocumentId,
            MatchId = run.Value.Match.Id,
            Difficulty = difficulty?.Name(),
            Focus = focus,
            PromptVersion = generated.Version,
            CreatedUtc = now,
        };
        var questions = generated.Questions.Select((q, i) => new InterviewQuestion
        {
            Id = Ids.New("qst"),
            OrganizationId = interview.OrganizationId,
            InterviewId = id,
            Ordinal = i,
            Text = q.Text,
            Category = q.Category.Name(),
            Difficulty = q.Difficulty.Name(),
            Rubric = StoredQuestions.Serialize(q.Rubric),
            Sources = StoredQuestions.Serialize(q.Sources),
            Template = q.Template,
            CreatedUtc = now,
        }).ToList();
        db.InterviewSessions.Add(interview);
        db.InterviewQuestions.AddRange(questions);
        meter.Append(meter.Event(Metrics.InterviewQuestions, questions.Count));
        await db.SaveChangesAsync(ct);
        await usage.RecordAsync(new UsageRecord(interview.OrganizationId, caller.UserId, caller.ApiKeyId, Operation, generated.Model ?? "offline", generated.Usage, now), ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogCreated(logger, id, questions.Count, generated.Version, run.Value.Match.Id, elapsed.TotalMilliseconds);
        return new InterviewView(interview.Id, interview.CvDocumentId, interview.JdDocumentId, interview.MatchId, interview.Difficulty, interview.Focus, interview.PromptVersion,
            questions.ConvertAll(StoredQuestions.View), [], null, interview.CreatedUtc);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Interview {InterviewId}: {Questions} questions ({PromptVersion}) from match {MatchId} in {ElapsedMs:0} ms")]
    private static partial void LogCreated(ILogger logger, string interviewId, int questions, string promptVersion, string matchId, double elapsedMs);
}
