using System.Collections.Concurrent;
using System.Diagnostics;

namespace Cassiopeia.Bench;

/// <summary>What one measured phase saw: latencies of successful requests, and errors by kind.</summary>
public sealed class RunStats
{
    private readonly ConcurrentDictionary<string, long> _errors = new(StringComparer.Ordinal);
    private long _sent;
    private long _started;
    private long _stopped;

    public LatencyHistogram Latency { get; } = new();

    /// <summary>Open-loop only: latency from the actual send rather than the due time.</summary>
    public LatencyHistogram ServiceTime { get; } = new();

    public long Sent => Interlocked.Read(ref _sent);

    public long Errors => _errors.Values.Sum();

    public IReadOnlyDictionary<string, long> ErrorsByKind => _errors;

    public TimeSpan Elapsed => Stopwatch.GetElapsedTime(_started, _stopped == 0 ? Stopwatch.GetTimestamp() : _stopped);

    public void Start() => _started = Stopwatch.GetTimestamp();

    public void Stop() => _stopped = Stopwatch.GetTimestamp();

    /// <summary>Counts a send; false once <paramref name="limit"/> sends were counted.</summary>
    public bool TryCountSend(long limit) => Interlocked.Increment(ref _sent) <= limit;

    public void RecordOutcome(string? error, long fromTimestamp)
    {
        if (error is null)
        {
            Latency.RecordSince(fromTimestamp);
        }
        else
        {
            _errors.AddOrUpdate(error, 1, (_, n) => n + 1);
        }
    }
}
