using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Billing;

/// <param name="Limits">Limit per billing period by metric; a metric absent from it is unlimited.</param>
/// <param name="Purchasable">Whether checkout sells it with the configured provider.</param>
public sealed record PlanView(string Id, string Name, decimal PriceMonthlyUsd, IReadOnlyDictionary<string, long> Limits, IReadOnlyList<string> Features, int RequestsPerMinute, bool Purchasable);

/// <summary>The configured plans, cheapest first.</summary>
public sealed class ListPlans(IOptionsMonitor<PlanOptions> options, IBillingProvider provider)
{
    public IReadOnlyList<PlanView> Handle() =>
        options.CurrentValue.Plans
            .OrderBy(p => p.Value.PriceMonthlyUsd).ThenBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => new PlanView(p.Key, p.Value.Name, p.Value.PriceMonthlyUsd, p.Value.Limits, p.Value.Features, p.Value.RequestsPerMinute, provider.WhyNotForSale(p.Key, p.Value) is null))
            .ToList();
}
