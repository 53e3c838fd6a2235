namespace Cassiopeia.Core.Billing;

/// <summary>The billable metrics: the names plans limit, usage events count and quotas enforce.</summary>
public static class Metrics
{
    public const string Documents = "documents";
    public const string PagesIngested = "pages_ingested";
    public const string Asks = "asks";
    public const string InterviewQuestions = "interview_questions";
    public const string AnswersScored = "answers_scored";
    public const string LlmTokens = "llm_tokens";

    public static readonly IReadOnlyList<string> All = [Documents, PagesIngested, Asks, InterviewQuestions, AnswersScored, LlmTokens];
}
