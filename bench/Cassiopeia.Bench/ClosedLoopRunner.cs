using System.Diagnostics;

namespace Cassiopeia.Bench;

/// <summary>
/// Maximum throughput: each of N connections sends its next request as soon as the previous one is
/// answered, until the duration or the request limit is reached. Latency is measured per request.
/// </summary>
public sealed class ClosedLoopRunner(IRequestSender sender, int connections, long maxRequests)
{
    public async Task<RunStats> RunAsync(TimeSpan duration, CancellationToken ct)
    {
        var stats = new RunStats();
        var deadline = Stopwatch.GetTimestamp() + (long)(duration.TotalSeconds * Stopwatch.Frequency);
        stats.Start();
        var workers = new Task[connections];
        for (var i = 0; i < workers.Length; i++)
        {
            workers[i] = Task.Run(() => WorkAsync(stats, deadline, ct), ct);
        }

        await Task.WhenAll(workers);
        stats.Stop();
        return stats;
    }

    private async Task WorkAsync(RunStats stats, long deadline, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested && Stopwatch.GetTimestamp() < deadline && stats.TryCountSend(maxRequests))
        {
            var start = Stopwatch.GetTimestamp();
            var error = await sender.SendAsync(ct);
            stats.RecordOutcome(error, start);
        }
    }
}
