using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Usage;

/// <summary>
/// What a use case calls around a billable action: <see cref="ReserveAsync"/> before it (402 when the
/// quota is used up), <see cref="RefundAsync"/> if it then fails, and the action's usage event —
/// <see cref="Append"/> to save it in the action's own transaction, or <see cref="WriteAsync"/> when the
/// action has none. Events are attributed to the calling member and API key and priced from <c>Usage:Prices</c>.
/// </summary>
public sealed class UsageMeter(AppDbContext db, Caller caller, Quotas quotas, UsageEventWriter writer, IOptionsMonitor<UsageOptions> options, TimeProvider time)
{
    public Task<Result<QuotaReservation>> ReserveAsync(string metric, long quantity, CancellationToken ct) =>
        quotas.ReserveAsync(caller.RequireOrganizationId, metric, quantity, ct);

    public Task RefundAsync(QuotaReservation? reservation) => quotas.RefundAsync(reservation);

    /// <summary>Gives back the part of a reservation that the action did not use.</summary>
    public Task RefundAsync(QuotaReservation reservation, long used) =>
        used < reservation.Quantity ? quotas.RefundAsync(reservation with { Quantity = reservation.Quantity - used }) : Task.CompletedTask;

    public Task<Error?> EnsureAvailableAsync(string metric, CancellationToken ct) => quotas.EnsureAvailableAsync(caller.RequireOrganizationId, metric, ct);

    /// <summary>
    /// For an action that may call a model: refused when no model tokens are left (they are charged
    /// afterwards, when known), else <paramref name="quantity"/> of <paramref name="metric"/> is reserved.
    /// </summary>
    public async Task<Result<QuotaReservation>> ReserveForModelAsync(string metric, long quantity, CancellationToken ct) =>
        await EnsureAvailableAsync(Metrics.LlmTokens, ct) is { } noTokens ? noTokens : await ReserveAsync(metric, quantity, ct);

    /// <summary>An event of <paramref name="metric"/> by the caller (or by <paramref name="userId"/> when the action has no caller, as in ingestion).</summary>
    public UsageEvent Event(string metric, long quantity, string? userId = null) => new()
    {
        OrganizationId = caller.RequireOrganizationId,
        UserId = userId ?? caller.UserId,
        ApiKeyId = userId is null ? caller.ApiKeyId : null,
        Metric = metric,
        Quantity = quantity,
        CostUsd = UsageCosts.Of(options.CurrentValue.Prices, metric, quantity),
        OccurredUtc = time.GetUtcNow().UtcDateTime,
    };

    /// <summary>Adds the event to the action's unit of work: it is saved, with its roll-up, by the action's own <c>SaveChanges</c>.</summary>
    public void Append(UsageEvent usage) => db.UsageEvents.Add(usage);

    /// <summary>Writes the event in a batch with others (for actions without a transaction).</summary>
    public Task WriteAsync(UsageEvent usage) => writer.WriteAsync(usage);
}
