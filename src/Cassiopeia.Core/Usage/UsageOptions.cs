using System.ComponentModel.DataAnnotations;
using Cassiopeia.Core.Billing;

namespace Cassiopeia.Core.Usage;

/// <summary>Section <c>Usage</c>: the price table that turns usage into estimated cost.</summary>
public sealed class UsageOptions
{
    public const string SectionName = "Usage";

    public UsagePrices Prices { get; set; } = new();
}

/// <summary>
/// Estimated prices in USD. <see cref="Metrics"/>: per unit of each metric other than tokens (a
/// document, a page, an ask…). <see cref="Models"/>: per million input and output tokens, by model id;
/// a key also prices the model ids it begins (<c>gpt-4o-mini</c> prices <c>gpt-4o-mini-2024-07-18</c>,
/// <c>llama3</c> prices <c>llama3:8b</c>), the longest key winning. Models not listed cost <see cref="UnknownModel"/>.
/// </summary>
public sealed class UsagePrices
{
    /// <summary>The built-in offline engines: they run in-process and cost nothing.</summary>
    public static readonly IReadOnlyList<string> OfflineModels = ["extractive", "offline", "rules"];

    public Dictionary<string, decimal> Metrics { get; set; } = new(StringComparer.OrdinalIgnoreCase)
    {
        [Billing.Metrics.Documents] = 0m,
        [Billing.Metrics.PagesIngested] = 0m,
        [Billing.Metrics.Asks] = 0m,
        [Billing.Metrics.InterviewQuestions] = 0m,
        [Billing.Metrics.AnswersScored] = 0m,
    };

    public Dictionary<string, ModelPrice> Models { get; set; } = OfflineModels.ToDictionary(m => m, _ => new ModelPrice(), StringComparer.OrdinalIgnoreCase);

    public ModelPrice UnknownModel { get; set; } = new();
}

/// <summary>USD per million tokens, input and output priced separately.</summary>
public sealed class ModelPrice
{
    [Range(0, 1_000_000)]
    public decimal InputPerMillionUsd { get; set; }

    [Range(0, 1_000_000)]
    public decimal OutputPerMillionUsd { get; set; }
}
