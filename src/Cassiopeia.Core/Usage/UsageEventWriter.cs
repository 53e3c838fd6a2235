using System.Threading.Channels;
using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Core.Usage;

/// <summary>
/// Appends usage events of actions that have no transaction of their own (an ask, the tokens of a
/// model call), together with the quota they charge: events that arrive while one batch commits go
/// into the next, one transaction per organization, so a busy server pays one commit for many events.
/// A lone event is written at once. Callers wait for the commit (nothing is lost once answered).
/// </summary>
public sealed partial class UsageEventWriter(IServiceScopeFactory scopes, ILogger<UsageEventWriter> logger) : IAsyncDisposable
{
    private const int MaxBatch = 256;

    private readonly Channel<Pending> _pending = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Lock _startLock = new();
    private Task? _writer;

    /// <param name="ChargePeriodStartUtc">When set, the event's quantity is also added to the quota counter of this period.</param>
    private sealed record Pending(UsageEvent Event, DateTime? ChargePeriodStartUtc, TaskCompletionSource Done);

    /// <summary>Completes once the event is committed (or its failure logged); usage never fails the action it follows.</summary>
    public Task WriteAsync(UsageEvent usage, DateTime? chargePeriodStartUtc = null)
    {
        var pending = new Pending(usage, chargePeriodStartUtc, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        ObjectDisposedException.ThrowIf(!_pending.Writer.TryWrite(pending), this);
        lock (_startLock)
        {
            _writer ??= Task.Run(RunAsync);
        }

        return pending.Done.Task;
    }

    public async ValueTask DisposeAsync()
    {
        _pending.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }
    }

    private async Task RunAsync()
    {
        var batch = new List<Pending>(MaxBatch);
        while (await _pending.Reader.WaitToReadAsync())
        {
            while (batch.Count < MaxBatch && _pending.Reader.TryRead(out var next))
            {
                batch.Add(next);
            }

            foreach (var group in batch.GroupBy(p => p.Event.OrganizationId, StringComparer.Ordinal))
            {
                try
                {
                    await SaveAsync([.. group]);
                }
                catch (Exception e)
                {
                    LogLost(logger, e, group.Count(), group.Key);
                }

                foreach (var item in group)
                {
                    item.Done.TrySetResult();
                }
            }

            batch.Clear();
        }
    }

    private async Task SaveAsync(IReadOnlyList<Pending> group)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(group[0].Event.OrganizationId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var quotas = scope.ServiceProvider.GetRequiredService<Quotas>();
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);

        // One statement per counter, in a fixed order, so two writers never wait on each other's rows crosswise.
        var charges = group.Where(p => p.ChargePeriodStartUtc is not null)
            .GroupBy(p => (p.Event.Metric, Period: p.ChargePeriodStartUtc!.Value))
            .OrderBy(g => g.Key.Metric, StringComparer.Ordinal).ThenBy(g => g.Key.Period);
        foreach (var charge in charges)
        {
            await quotas.ChargeAsync(group[0].Event.OrganizationId, charge.Key.Metric, charge.Key.Period, charge.Sum(p => p.Event.Quantity), CancellationToken.None);
        }

        db.UsageEvents.AddRange(group.Select(p => p.Event).OrderBy(e => e.Metric, StringComparer.Ordinal).ThenBy(e => e.UserId, StringComparer.Ordinal));
        await db.SaveChangesAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Count} usage events of organization {OrganizationId} could not be written")]
    private static partial void LogLost(ILogger logger, Exception exception, int count, string organizationId);
}
