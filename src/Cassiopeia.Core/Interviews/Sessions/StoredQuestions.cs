using System.Text.Json;
using System.Text.Json.Serialization;
using Cassiopeia.Core.Interviews.Practice;

namespace Cassiopeia.Core.Interviews.Sessions;

/// <summary>Between stored question and answer rows and the engines' records and the API's views.</summary>
public static class StoredQuestions
{
    /// <summary>Template name of a follow-up question.</summary>
    public const string FollowUpTemplate = "follow-up";

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public static PracticeQuestion ToPractice(InterviewQuestion question)
    {
        // Stored names were written from the enums, so they always parse.
        _ = PracticeNames.TryParseCategory(question.Category, out var category);
        _ = PracticeNames.TryParseDifficulty(question.Difficulty, out var difficulty);
        return new PracticeQuestion(question.Text, category, difficulty, Rubric(question), Sources(question), question.Template);
    }

    public static string Serialize<T>(T value) => JsonSerializer.Serialize(value, Json);

    public static QuestionView View(InterviewQuestion question) => new(
        question.Id,
        question.Text,
        question.Category,
        question.Difficulty,
        Rubric(question).Select(c => new RubricItemView(c.Criterion, c.Description)).ToList(),
        Sources(question),
        question.FollowUpOf,
        question.CreatedUtc);

    public static AnswerFeedbackView Feedback(InterviewAnswer answer)
    {
        var stored = JsonSerializer.Deserialize<StoredFeedback>(answer.Feedback, Json)!;
        return new AnswerFeedbackView(answer.Score, stored.Criteria, stored.Strengths, stored.Improvements, answer.RubricVersion);
    }

    public static AnswerView View(InterviewAnswer answer) =>
        new(answer.Id, answer.QuestionId, answer.Text, Feedback(answer), answer.FollowUpQuestionId, answer.CreatedUtc);

    private static List<RubricCriterion> Rubric(InterviewQuestion question) => JsonSerializer.Deserialize<List<RubricCriterion>>(question.Rubric, Json)!;

    private static List<EvidenceQuote> Sources(InterviewQuestion question) => JsonSerializer.Deserialize<List<EvidenceQuote>>(question.Sources, Json)!;
}
