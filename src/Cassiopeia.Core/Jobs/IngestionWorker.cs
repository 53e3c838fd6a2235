using System.Diagnostics;
using Cassiopeia.Core.Ingestion;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Jobs;

/// <summary>
/// Runs ingestion jobs in this process: claims due jobs up to <see cref="IngestionOptions.Workers"/>
/// at a time, keeps each lease alive with a heartbeat, and at shutdown gives running jobs
/// <see cref="IngestionOptions.ShutdownGrace"/> to finish before handing them back to the queue.
/// </summary>
public sealed partial class IngestionWorker(
    IServiceScopeFactory scopes,
    IOptions<IngestionOptions> options,
    DocumentEvents events,
    IngestionTelemetry telemetry,
    ILogger<IngestionWorker> log) : BackgroundService
{
    private readonly IngestionOptions _settings = options.Value;
    private readonly CancellationTokenSource _abandon = new();
    private readonly HashSet<Task> _running = [];
    private readonly Lock _runningLock = new();
    private bool _disposed;

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        // Stop claiming first (base cancels ExecuteAsync), then let running jobs finish for a while.
        await base.StopAsync(cancellationToken);
        if (_disposed)
        {
            return; // A host stopped again after disposal (test hosts do).
        }

        Task[] inFlight;
        lock (_runningLock)
        {
            inFlight = [.. _running];
        }

        if (inFlight.Length > 0)
        {
            try
            {
                await Task.WhenAll(inFlight).WaitAsync(_settings.ShutdownGrace, cancellationToken);
            }
            catch (Exception e) when (e is TimeoutException or OperationCanceledException)
            {
                LogReleasing(log, inFlight.Count(t => !t.IsCompleted));
            }
        }

        await _abandon.CancelAsync();
        await Task.WhenAll(inFlight).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override void Dispose()
    {
        _disposed = true;
        _abandon.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var slots = new SemaphoreSlim(_settings.Workers, _settings.Workers);
        var backlogSeen = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await slots.WaitAsync(stoppingToken);
                slots.Release();
                var free = slots.CurrentCount;
                IReadOnlyList<LeasedJob> claimed;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var queue = scope.ServiceProvider.GetRequiredService<IngestionQueue>();
                    claimed = await queue.ClaimAsync(free, _settings.LeaseDuration, stoppingToken);
                    if (Stopwatch.GetElapsedTime(backlogSeen) > TimeSpan.FromSeconds(1))
                    {
                        telemetry.ObserveBacklog(await queue.BacklogAsync(stoppingToken));
                        backlogSeen = Stopwatch.GetTimestamp();
                    }
                }

                foreach (var job in claimed)
                {
                    await slots.WaitAsync(stoppingToken);
                    Track(RunAsync(job, slots));
                }

                if (claimed.Count == 0)
                {
                    await events.WaitForJobAsync(_settings.PollInterval, stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database is unreachable or similar: say so and try again after a pause, never spin.
                LogPollFailed(log, e);
                await Task.Delay(_settings.PollInterval, stoppingToken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    private void Track(Task task)
    {
        lock (_runningLock)
        {
            _running.Add(task);
        }

        task.ContinueWith(
            t =>
            {
                lock (_runningLock)
                {
                    _running.Remove(t);
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private async Task RunAsync(LeasedJob job, SemaphoreSlim slots)
    {
        await Task.Yield();
        using var jobCancellation = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(job, jobCancellation, heartbeatStop.Token);
        using var activity = StartActivity(job);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IngestDocument>().RunAsync(job, jobCancellation.Token);
        }
        catch (OperationCanceledException) when (jobCancellation.IsCancellationRequested)
        {
            if (_abandon.IsCancellationRequested)
            {
                await ReleaseAsync(job);
            }
        }
        catch (Exception e)
        {
            // IngestDocument turns failures into retries or dead letters; reaching here means even that
            // failed (the database went away). The lease will expire and another attempt will follow.
            LogJobCrashed(log, e, job.DocumentId);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            slots.Release();
        }
    }

    private async Task HeartbeatAsync(LeasedJob job, CancellationTokenSource jobCancellation, CancellationToken stop)
    {
        var interval = _settings.LeaseDuration / 3;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, stop);
                await using var scope = scopes.CreateAsyncScope();
                if (!await scope.ServiceProvider.GetRequiredService<IngestionQueue>().HeartbeatAsync(job, _settings.LeaseDuration, stop))
                {
                    LogLeaseLost(log, job.DocumentId);
                    await jobCancellation.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogHeartbeatFailed(log, e, job.DocumentId);
        }
    }

    private async Task ReleaseAsync(LeasedJob job)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IngestionQueue>().ReleaseAsync(job, CancellationToken.None);
        }
        catch (Exception e)
        {
            LogJobCrashed(log, e, job.DocumentId);
        }
    }

    private static Activity? StartActivity(LeasedJob job)
    {
        ActivityContext.TryParse(job.TraceParent, null, out var parent);
        var activity = IngestionTelemetry.Source.StartActivity("ingest.document", ActivityKind.Consumer, parent);
        activity?.SetTag("cassiopeia.document.id", job.DocumentId);
        activity?.SetTag("cassiopeia.job.attempt", job.Attempts);
        return activity;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: handing {Count} unfinished jobs back to the queue")]
    private static partial void LogReleasing(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for ingestion jobs failed; trying again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "The job of document {DocumentId} stopped unexpectedly; it runs again when its lease expires")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, string documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease on document {DocumentId} was lost; stopping its job")]
    private static partial void LogLeaseLost(ILogger logger, string documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat for document {DocumentId} failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string documentId);
}
