using Cassiopeia.Core.Billing;

namespace Cassiopeia.Core.Usage;

/// <summary>Estimated costs from a <see cref="UsagePrices"/> table, rounded to a billionth of a dollar (what is stored).</summary>
public static class UsageCosts
{
    private const decimal Million = 1_000_000m;

    public static decimal Of(UsagePrices prices, string metric, long quantity) =>
        metric != Metrics.LlmTokens && prices.Metrics.TryGetValue(metric, out var each) ? Round(each * quantity) : 0m;

    public static decimal OfTokens(UsagePrices prices, string model, long inputTokens, long outputTokens)
    {
        var price = PriceOf(prices, model);
        return Round((inputTokens * price.InputPerMillionUsd / Million) + (outputTokens * price.OutputPerMillionUsd / Million));
    }

    /// <summary>The exact entry, else the longest key the model id begins with, else the unknown-model price.</summary>
    public static ModelPrice PriceOf(UsagePrices prices, string model)
    {
        if (prices.Models.TryGetValue(model, out var exact))
        {
            return exact;
        }

        ModelPrice? best = null;
        var bestLength = 0;
        foreach (var (key, price) in prices.Models)
        {
            if (key.Length > bestLength && model.StartsWith(key, StringComparison.OrdinalIgnoreCase))
            {
                (best, bestLength) = (price, key.Length);
            }
        }

        return best ?? prices.UnknownModel;
    }

    public static decimal Round(decimal usd) => decimal.Round(usd, 9, MidpointRounding.AwayFromZero);
}
