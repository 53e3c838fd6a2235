using Cassiopeia.Core.Data;
using Cassiopeia.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Api.Features.Documents;

/// <summary>
/// Every few minutes, removes direct uploads that expired without being completed, with any
/// bytes they stored, and partial writes a crash left in the blob store, so an abandoned upload
/// leaves nothing behind.
/// </summary>
public sealed partial class UploadJanitor(IServiceScopeFactory scopes, IBlobStore blobs, IEnumerable<IBlobStoreMaintenance> maintenance, TimeProvider time, ILogger<UploadJanitor> logger) : BackgroundService
{
    /// <summary>A partial write untouched this long belongs to no running upload.</summary>
    public static readonly TimeSpan AbandonedWriteIdle = TimeSpan.FromHours(1);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMinutes(5), time);
        do
        {
            try
            {
                var removed = await SweepAsync(stoppingToken);
                LogSwept(logger, removed);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Housekeeping: a failed sweep is retried at the next tick.
                LogFailed(logger, e);
            }
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    internal async Task<int> SweepAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Completed uploads are removed by /complete; these were announced and abandoned, in any organization.
        var cutoff = time.GetUtcNow().UtcDateTime;
        var expired = await db.PendingUploads.IgnoreQueryFilters().Where(p => p.ExpiresUtc <= cutoff)
            .Select(p => new { p.Id, p.OrganizationId }).Take(1000).ToListAsync(ct);
        foreach (var upload in expired)
        {
            await blobs.DeleteAsync(BlobKeys.Document(upload.OrganizationId, upload.Id), ct);
            await blobs.DeleteAsync(BlobKeys.Staging(upload.OrganizationId, upload.Id), ct);
            await db.PendingUploads.IgnoreQueryFilters().Where(p => p.Id == upload.Id).ExecuteDeleteAsync(ct);
        }

        var partial = 0;
        foreach (var store in maintenance)
        {
            partial += await store.SweepAbandonedWritesAsync(AbandonedWriteIdle, time.GetUtcNow(), ct);
        }

        return expired.Count + partial;
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Removed {Count} abandoned uploads")]
    private static partial void LogSwept(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeping abandoned uploads failed")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
