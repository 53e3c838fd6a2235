using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Core.Billing;

/// <summary>
/// The plans on offer (<c>Billing:Plans</c>), keyed by plan id. Configuration adds plans or changes
/// any field of the built-in ones; <see cref="DefaultPlanId"/> is what an organization without a
/// subscription is on.
/// </summary>
public sealed class PlanOptions
{
    public const string SectionName = "Billing";

    [Required]
    public string DefaultPlanId { get; set; } = "free";

    /// <summary>The plan a new trial runs on and for how long.</summary>
    [Required]
    public string TrialPlanId { get; set; } = "trial";

    [Range(typeof(TimeSpan), "1.00:00:00", "90.00:00:00")]
    public TimeSpan TrialLength { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// How long a process keeps an organization's subscription in memory. Changes made by the same
    /// process apply at once; this bounds how late another process sees them.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan SubscriptionCacheLifetime { get; set; } = TimeSpan.FromSeconds(30);

    public Dictionary<string, PlanDefinition> Plans { get; set; } = new(StringComparer.Ordinal)
    {
        ["free"] = new()
        {
            Name = "Free",
            PriceMonthlyUsd = 0m,
            Limits = Limits(documents: 20, pages: 200, asks: 50, questions: 50, answers: 50, tokens: 100_000),
            Features = [PlanFeatures.Search, PlanFeatures.Ask, PlanFeatures.Interviews],
            RequestsPerMinute = 120,
        },
        ["trial"] = new()
        {
            Name = "Trial",
            PriceMonthlyUsd = 0m,
            Limits = Limits(documents: 100, pages: 2_000, asks: 500, questions: 300, answers: 300, tokens: 1_000_000),
            Features = [PlanFeatures.Search, PlanFeatures.Ask, PlanFeatures.Interviews, PlanFeatures.ModelFeedback],
            RequestsPerMinute = 300,
        },
        ["pro"] = new()
        {
            Name = "Pro",
            PriceMonthlyUsd = 19m,
            Limits = Limits(documents: 500, pages: 10_000, asks: 3_000, questions: 2_000, answers: 2_000, tokens: 5_000_000),
            Features = [PlanFeatures.Search, PlanFeatures.Ask, PlanFeatures.Interviews, PlanFeatures.ModelFeedback],
            RequestsPerMinute = 600,
        },
        ["team"] = new()
        {
            Name = "Team",
            PriceMonthlyUsd = 99m,
            Limits = Limits(documents: 5_000, pages: 100_000, asks: 30_000, questions: 20_000, answers: 20_000, tokens: 50_000_000),
            Features = [PlanFeatures.Search, PlanFeatures.Ask, PlanFeatures.Interviews, PlanFeatures.ModelFeedback, PlanFeatures.MemberUsage],
            RequestsPerMinute = 1_200,
        },
    };

    private static Dictionary<string, long> Limits(long documents, long pages, long asks, long questions, long answers, long tokens) => new(StringComparer.Ordinal)
    {
        [Metrics.Documents] = documents,
        [Metrics.PagesIngested] = pages,
        [Metrics.Asks] = asks,
        [Metrics.InterviewQuestions] = questions,
        [Metrics.AnswersScored] = answers,
        [Metrics.LlmTokens] = tokens,
    };
}

/// <summary>One plan: its price, its limit per billing period for each metric (absent = unlimited) and its features.</summary>
public sealed class PlanDefinition
{
    [Required]
    public string Name { get; set; } = "";

    [Range(0, 1_000_000)]
    public decimal PriceMonthlyUsd { get; set; }

    /// <summary>The Stripe Price id checkout sells this plan with; plans without one cannot be bought through Stripe.</summary>
    public string? StripePriceId { get; set; }

    public Dictionary<string, long> Limits { get; set; } = new(StringComparer.Ordinal);

    public List<string> Features { get; set; } = [];

    /// <summary>Requests per minute the rate limiter allows one caller of an organization on this plan.</summary>
    [Range(1, 1_000_000)]
    public int RequestsPerMinute { get; set; } = 120;
}
