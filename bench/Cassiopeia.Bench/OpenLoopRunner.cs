using System.Diagnostics;

namespace Cassiopeia.Bench;

/// <summary>
/// Constant arrival rate: request i is due at start + i/rate whether or not earlier ones were
/// answered. Latency runs from the due time, not the actual send, so a stalled server or a late
/// scheduler shows up in the percentiles instead of silently lowering the load (coordinated omission).
/// </summary>
public sealed class OpenLoopRunner(IRequestSender sender, int rate, long maxRequests, int maxInFlight)
{
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(35);
    private long _inFlight;

    public async Task<RunStats> RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var stats = new RunStats();
        var total = Math.Min((long)(rate * duration.TotalSeconds), maxRequests);
        // The scheduler gets its own thread and no pool thread waits for it: with one CPU the pool
        // starts with one worker, and blocking it would stall every response for ~0.5 s.
        var scheduled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var schedule = new Thread(() =>
        {
            Schedule(stats, total, ct);
            scheduled.SetResult();
        })
        { IsBackground = true, Name = "open-loop-scheduler" };
        stats.Start();
        schedule.Start();
        await scheduled.Task;

        var drainUntil = Stopwatch.GetTimestamp() + (long)(DrainTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Interlocked.Read(ref _inFlight) > 0 && Stopwatch.GetTimestamp() < drainUntil)
        {
            await Task.Delay(5, ct);
        }

        stats.Stop();
        return stats;
    }

    /// <summary>Runs on its own thread: sleeps while the next send is far off, yields while it is near.</summary>
    private void Schedule(RunStats stats, long total, CancellationToken ct)
    {
        var start = Stopwatch.GetTimestamp();
        var ticksPerRequest = (double)Stopwatch.Frequency / rate;
        var sleepThreshold = Stopwatch.Frequency / 500;
        for (long i = 0; i < total && !ct.IsCancellationRequested && stats.TryCountSend(maxRequests); i++)
        {
            var due = start + (long)(i * ticksPerRequest);
            long wait;
            while ((wait = due - Stopwatch.GetTimestamp()) > 0)
            {
                if (wait > sleepThreshold)
                {
                    Thread.Sleep(1);
                }
                else
                {
                    Thread.Yield();
                }
            }

            if (Interlocked.Increment(ref _inFlight) > maxInFlight)
            {
                Interlocked.Decrement(ref _inFlight);
                stats.RecordOutcome("dropped", due);
                continue;
            }

            _ = FireAsync(stats, due, ct);
        }
    }

    private async Task FireAsync(RunStats stats, long due, CancellationToken ct)
    {
        try
        {
            var sent = Stopwatch.GetTimestamp();
            var error = await sender.SendAsync(ct);
            stats.RecordOutcome(error, due);
            if (error is null)
            {
                stats.ServiceTime.RecordSince(sent);
            }
        }
        catch (OperationCanceledException)
        {
            stats.RecordOutcome("cancelled", due);
        }
        finally
        {
            Interlocked.Decrement(ref _inFlight);
        }
    }
}
