using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Usage;

namespace Cassiopeia.UnitTests.Usage;

public sealed class UsageCostsTests
{
    private static UsagePrices Prices()
    {
        var prices = new UsagePrices();
        prices.Metrics[Metrics.Asks] = 0.005m;
        prices.Metrics[Metrics.PagesIngested] = 0.0001m;
        prices.Models["gpt-4o"] = new ModelPrice { InputPerMillionUsd = 2.5m, OutputPerMillionUsd = 10m };
        prices.Models["gpt-4o-mini"] = new ModelPrice { InputPerMillionUsd = 0.15m, OutputPerMillionUsd = 0.6m };
        prices.UnknownModel = new ModelPrice { InputPerMillionUsd = 1m, OutputPerMillionUsd = 1m };
        return prices;
    }

    [Fact]
    public void A_metric_costs_its_unit_price_times_the_quantity()
    {
        Assert.Equal(0.015m, UsageCosts.Of(Prices(), Metrics.Asks, 3));
        Assert.Equal(0.0123m, UsageCosts.Of(Prices(), Metrics.PagesIngested, 123));
        Assert.Equal(0m, UsageCosts.Of(Prices(), Metrics.Documents, 5));
        Assert.Equal(0m, UsageCosts.Of(Prices(), "unknown_metric", 5));
    }

    [Fact]
    public void Tokens_price_input_and_output_separately_per_million()
    {
        // 1,000 input at 2.50/M + 500 output at 10/M = 0.0025 + 0.005
        Assert.Equal(0.0075m, UsageCosts.OfTokens(Prices(), "gpt-4o", 1_000, 500));
        Assert.Equal(0.0000006m, UsageCosts.OfTokens(Prices(), "gpt-4o-mini", 0, 1));
        Assert.Equal(0m, UsageCosts.OfTokens(Prices(), "gpt-4o", 0, 0));
    }

    [Fact]
    public void A_model_id_takes_the_price_of_the_longest_key_it_begins_with()
    {
        Assert.Equal(0.15m, UsageCosts.PriceOf(Prices(), "gpt-4o-mini-2024-07-18").InputPerMillionUsd);
        Assert.Equal(2.5m, UsageCosts.PriceOf(Prices(), "gpt-4o-2024-08-06").InputPerMillionUsd);
        Assert.Equal(2.5m, UsageCosts.PriceOf(Prices(), "GPT-4O").InputPerMillionUsd);
        Assert.Equal(1m, UsageCosts.PriceOf(Prices(), "llama3:8b").InputPerMillionUsd);
    }

    [Theory]
    [InlineData("extractive")]
    [InlineData("offline")]
    [InlineData("rules")]
    public void The_built_in_offline_engines_cost_nothing_by_default(string model)
    {
        var prices = new UsagePrices { UnknownModel = new ModelPrice { InputPerMillionUsd = 5m, OutputPerMillionUsd = 5m } };
        Assert.Equal(0m, UsageCosts.OfTokens(prices, model, 1_000_000, 1_000_000));
    }

    [Fact]
    public void Costs_are_rounded_to_a_billionth_of_a_dollar()
    {
        // 1 token at 0.15/M = 0.00000015; 1 token at 0.0000001/M rounds to nothing.
        Assert.Equal(0.00000015m, UsageCosts.OfTokens(Prices(), "gpt-4o-mini", 1, 0));
        var tiny = new UsagePrices { UnknownModel = new ModelPrice { InputPerMillionUsd = 0.0001m } };
        Assert.Equal(0m, UsageCosts.OfTokens(tiny, "x", 1, 0));
        Assert.Equal(0.000000001m, UsageCosts.Round(0.0000000005m));
    }
}
