using Cassiopeia.Core.Billing;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Usage;

/// <summary>
/// Keeps the metrics and log line of <see cref="MeteredUsageRecorder"/> and stores each model call's
/// tokens as one <see cref="Metrics.LlmTokens"/> event (input and output priced separately, by model),
/// charged to the organization's token quota of the current period.
/// </summary>
public sealed class PersistentUsageRecorder(
    MeteredUsageRecorder metered, UsageEventWriter writer, IOrganizationPlans plans, IOptionsMonitor<UsageOptions> options) : IUsageRecorder
{
    public async ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken)
    {
        await metered.RecordAsync(record, cancellationToken);
        var (input, output) = (record.Tokens.InputTokens, record.Tokens.OutputTokens);
        if (input + output <= 0)
        {
            return;
        }

        var plan = await plans.GetAsync(record.OrganizationId, cancellationToken);
        await writer.WriteAsync(
            new UsageEvent
            {
                OrganizationId = record.OrganizationId,
                UserId = record.UserId,
                ApiKeyId = record.ApiKeyId,
                Metric = Metrics.LlmTokens,
                Quantity = input + output,
                CostUsd = UsageCosts.OfTokens(options.CurrentValue.Prices, record.Model, input, output),
                Model = record.Model,
                OccurredUtc = record.OccurredAtUtc,
            },
            plan.PeriodStartUtc);
    }
}
