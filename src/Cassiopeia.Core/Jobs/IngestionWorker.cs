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
    private static readonly TimeSpan MaxPollBackoff = TimeSpan.FromSeconds(8);

    /// <summary>
    /// How long due jobs short of a full batch wait for a running batch to end before they start
    /// beside it: long enough for the running batch of quick documents to finish (then the waiting
    /// jobs go together in one batch), short enough that a slow batch (a long PDF, a remote model)
    /// does not hold a small upload back.
    /// </summary>
    internal static readonly TimeSpan SecondBatchPatience = TimeSpan.FromMilliseconds(250);

    private readonly IngestionOptions _settings = options.Value;
    private readonly CancellationTokenSource _abandon = new();
    private readonly HashSet<Task> _running = [];
    private readonly Lock _runningLock = new();

    // A field, not a local of ExecuteAsync: running batches give their slot back after ExecuteAsync has
    // returned at shutdown (StopAsync waits for them), so it lives until the worker is disposed.
    private readonly SemaphoreSlim _slots = new(options.Value.Workers, options.Value.Workers);
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

        try
        {
            await _abandon.CancelAsync();
        }
        catch (ObjectDisposedException)
        {
            // The host disposed the worker while this stop was waiting for the running batches (test
            // hosts stop and dispose from more than one place): nothing is left to cancel them with, so
            // they finish, or their leases expire and another worker takes the jobs up.
        }

        await Task.WhenAll(inFlight).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    public override void Dispose()
    {
        _disposed = true;
        _abandon.Dispose();
        _slots.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var backlogSeen = 0L;
        var failures = 0;
        var waitingSince = 0L;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _slots.WaitAsync(stoppingToken);
                _slots.Release();
                var free = _slots.CurrentCount;

                // Beside a running batch, another starts only with a full batch of work, or once the
                // jobs have waited SecondBatchPatience. Every batch costs a claim and a commit, and on
                // SQLite's single writer parallel batches of quick documents are only smaller ones:
                // waiting for the running batch gathers the next one.
                var busy = free < _settings.Workers;
                var minimum = 1;
                if (busy)
                {
                    waitingSince = waitingSince == 0 ? Stopwatch.GetTimestamp() : waitingSince;
                    minimum = Stopwatch.GetElapsedTime(waitingSince) < SecondBatchPatience ? _settings.BatchSize : 1;
                }

                IReadOnlyList<LeasedJob> claimed;
                await using (var scope = scopes.CreateAsyncScope())
                {
                    var queue = scope.ServiceProvider.GetRequiredService<IngestionQueue>();
                    claimed = await queue.ClaimAsync(free * _settings.BatchSize, minimum, _settings.LeaseDuration, stoppingToken);
                    if (Stopwatch.GetElapsedTime(backlogSeen) > TimeSpan.FromSeconds(1))
                    {
                        telemetry.ObserveBacklog(await queue.BacklogAsync(stoppingToken));
                        backlogSeen = Stopwatch.GetTimestamp();
                    }
                }

                foreach (var batch in Batches(claimed, free, _settings.BatchSize))
                {
                    await _slots.WaitAsync(stoppingToken);
                    Track(RunAsync(batch));
                }

                if (failures > 0)
                {
                    LogPollResumed(log, failures);
                    failures = 0;
                }

                if (claimed.Count > 0 || !busy)
                {
                    waitingSince = 0;
                }

                if (claimed.Count == 0)
                {
                    if (minimum > 1)
                    {
                        // Fewer than a batch due: until the running batch ends or the patience runs out.
                        await WhenABatchEndsAsync(SecondBatchPatience - Stopwatch.GetElapsedTime(waitingSince), stoppingToken);
                    }
                    else
                    {
                        // Nothing due: until a job is enqueued (or the poll interval passes), busy or not.
                        await events.WaitForJobAsync(_settings.PollInterval, stoppingToken);
                    }
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The database is unreachable or similar: say so once (not a stack trace a second for
                // the length of an outage) and try again after a pause that grows, never spin.
                failures++;
                var pause = PollBackoff(_settings.PollInterval, failures);
                if (failures == 1)
                {
                    LogPollFailed(log, e);
                }
                else
                {
                    LogPollStillFailing(log, failures, e.GetType().Name, pause.TotalSeconds);
                }

                await Task.Delay(pause, stoppingToken).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
            }
        }
    }

    /// <summary>The poll interval doubled per consecutive failure, at most <see cref="MaxPollBackoff"/>, so a recovered database is noticed within seconds.</summary>
    internal static TimeSpan PollBackoff(TimeSpan pollInterval, int failures) =>
        TimeSpan.FromTicks(Math.Min(pollInterval.Ticks * (1L << Math.Min(failures - 1, 16)), Math.Max(pollInterval.Ticks, MaxPollBackoff.Ticks)));

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

    /// <summary>
    /// The claimed jobs cut into batches of one organization each: as few batches as
    /// <paramref name="batchSize"/> allows, spread evenly over up to <paramref name="slots"/> (a
    /// second batch only for more than a full batch of work, as with claims beside a running batch).
    /// </summary>
    internal static IEnumerable<IReadOnlyList<LeasedJob>> Batches(IReadOnlyList<LeasedJob> claimed, int slots, int batchSize)
    {
        var count = Math.Clamp((claimed.Count + batchSize - 1) / batchSize, 1, Math.Max(slots, 1));
        var size = Math.Clamp((claimed.Count + count - 1) / count, 1, batchSize);
        return claimed.GroupBy(j => j.OrganizationId, StringComparer.Ordinal).SelectMany(g => g.Chunk(size));
    }

    /// <summary>Returns when a running batch ends, after <paramref name="timeout"/> at the latest.</summary>
    private async Task WhenABatchEndsAsync(TimeSpan timeout, CancellationToken ct)
    {
        Task[] running;
        lock (_runningLock)
        {
            running = [.. _running];
        }

        if (running.Length == 0 || timeout <= TimeSpan.Zero)
        {
            return;
        }

        await Task.WhenAny(running).WaitAsync(timeout, ct).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        ct.ThrowIfCancellationRequested();
    }

    private async Task RunAsync(IReadOnlyList<LeasedJob> batch)
    {
        await Task.Yield();
        using var batchCancellation = CancellationTokenSource.CreateLinkedTokenSource(_abandon.Token);
        using var heartbeatStop = new CancellationTokenSource();
        var heartbeat = HeartbeatAsync(batch, batchCancellation, heartbeatStop.Token);
        var activities = StartActivities(batch);
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<IngestDocument>().RunAsync(batch, batchCancellation.Token);
        }
        catch (OperationCanceledException) when (batchCancellation.IsCancellationRequested)
        {
            if (_abandon.IsCancellationRequested)
            {
                foreach (var job in batch)
                {
                    await ReleaseAsync(job); // Jobs already finished are no longer held: nothing happens to them.
                }
            }
        }
        catch (Exception e)
        {
            // IngestDocument turns failures into retries or dead letters; reaching here means even that
            // failed (the database went away). The leases will expire and other attempts will follow.
            LogJobCrashed(log, e, batch[0].DocumentId, batch.Count);
        }
        finally
        {
            await heartbeatStop.CancelAsync();
            await heartbeat;
            foreach (var activity in activities)
            {
                activity?.Dispose();
            }

            _slots.Release();
        }
    }

    /// <summary>Keeps every lease of the batch alive; cancels the batch once none is held any more.</summary>
    private async Task HeartbeatAsync(IReadOnlyList<LeasedJob> batch, CancellationTokenSource batchCancellation, CancellationToken stop)
    {
        var interval = _settings.LeaseDuration / 3;
        var held = batch.ToList();
        try
        {
            while (!stop.IsCancellationRequested)
            {
                await Task.Delay(interval, stop);
                await using var scope = scopes.CreateAsyncScope();
                var queue = scope.ServiceProvider.GetRequiredService<IngestionQueue>();
                foreach (var job in held.ToList())
                {
                    if (!await queue.HeartbeatAsync(job, _settings.LeaseDuration, stop))
                    {
                        // Lost (taken over after expiry, or deleted): the index step drops this job's results.
                        LogLeaseLost(log, job.DocumentId);
                        held.Remove(job);
                    }
                }

                if (held.Count == 0)
                {
                    await batchCancellation.CancelAsync();
                    return;
                }
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            LogHeartbeatFailed(log, e, batch[0].DocumentId);
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
            LogJobCrashed(log, e, job.DocumentId, 1);
        }
    }

    /// <summary>
    /// One <c>ingest.document</c> span per job, each continuing the trace of its upload. They cover the
    /// whole batch; the step spans of the batch hang under the first.
    /// </summary>
    private static List<Activity?> StartActivities(IReadOnlyList<LeasedJob> batch)
    {
        var previous = Activity.Current;
        var activities = new List<Activity?>(batch.Count);
        foreach (var job in batch)
        {
            ActivityContext.TryParse(job.TraceParent, null, out var parent);
            Activity.Current = previous;
            activities.Add(IngestionTelemetry.Source.StartActivity("ingest.document", ActivityKind.Consumer, parent, tags:
            [
                new("cassiopeia.document.id", job.DocumentId),
                new("cassiopeia.job.attempt", job.Attempts),
                new("cassiopeia.batch.size", batch.Count),
            ]));
        }

        Activity.Current = activities.FirstOrDefault() ?? previous;
        return activities;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Shutdown: handing {Count} unfinished jobs back to the queue")]
    private static partial void LogReleasing(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Error, Message = "Looking for ingestion jobs failed; trying again")]
    private static partial void LogPollFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Looking for ingestion jobs failed {Failures} times in a row ({ExceptionType}); next try in {Seconds} s")]
    private static partial void LogPollStillFailing(ILogger logger, int failures, string exceptionType, double seconds);

    [LoggerMessage(Level = LogLevel.Information, Message = "Looking for ingestion jobs works again after {Failures} failures")]
    private static partial void LogPollResumed(ILogger logger, int failures);

    [LoggerMessage(Level = LogLevel.Error, Message = "The batch of {Count} jobs starting with document {DocumentId} stopped unexpectedly; it runs again when the leases expire")]
    private static partial void LogJobCrashed(ILogger logger, Exception exception, string documentId, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The lease on document {DocumentId} was lost; stopping its job")]
    private static partial void LogLeaseLost(ILogger logger, string documentId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Heartbeat for document {DocumentId} failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, string documentId);
}
