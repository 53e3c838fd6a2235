using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Api.Http;

/// <summary>Deletes idempotency records past their 24 hours, once an hour.</summary>
public sealed partial class IdempotencyJanitor(IServiceScopeFactory scopes, TimeProvider time, ILogger<IdempotencyJanitor> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromHours(1), time);
        do
        {
            try
            {
                await using var scope = scopes.CreateAsyncScope();
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var now = time.GetUtcNow().UtcDateTime;
                var deleted = await db.IdempotencyRecords.Where(r => r.ExpiresUtc <= now).ExecuteDeleteAsync(stoppingToken);
                LogSwept(logger, deleted);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // The sweep is housekeeping: a failed one is retried at the next tick.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Deleted {Count} expired idempotency records")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping idempotency records failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
