using System.Diagnostics;

namespace Cassiopeia.Bench;

/// <summary>
/// Thread-safe, fixed-size latency histogram in microseconds: exact below 1 ms, then 512 buckets
/// per power of two (about 0.2% error) up to ~67 s. Memory stays constant however long a run is.
/// </summary>
public sealed class LatencyHistogram
{
    private const int LinearLimit = 1024;
    private const int SubBuckets = 512;
    private const int Octaves = 17;
    private readonly long[] _counts = new long[LinearLimit + (Octaves * SubBuckets)];
    private long _count;
    private long _maxMicros;

    public long Count => Interlocked.Read(ref _count);

    public double MaxMilliseconds => Interlocked.Read(ref _maxMicros) / 1000.0;

    public void RecordSince(long startTimestamp) => Record(Stopwatch.GetElapsedTime(startTimestamp));

    public void Record(TimeSpan elapsed)
    {
        var micros = Math.Max(0, (long)elapsed.TotalMicroseconds);
        Interlocked.Increment(ref _counts[IndexOf(micros)]);
        Interlocked.Increment(ref _count);
        var max = Interlocked.Read(ref _maxMicros);
        while (micros > max)
        {
            var seen = Interlocked.CompareExchange(ref _maxMicros, micros, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The latency at quantile <paramref name="q"/> (0..1) in milliseconds; 0 when empty.</summary>
    public double PercentileMilliseconds(double q)
    {
        var total = Count;
        if (total == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(q * total));
        long seen = 0;
        for (var i = 0; i < _counts.Length; i++)
        {
            seen += Interlocked.Read(ref _counts[i]);
            if (seen >= rank)
            {
                return Math.Min(ValueOf(i), Interlocked.Read(ref _maxMicros)) / 1000.0;
            }
        }

        return MaxMilliseconds;
    }

    private static int IndexOf(long micros)
    {
        if (micros < LinearLimit)
        {
            return (int)micros;
        }

        var octave = Math.Min(63 - (int)long.LeadingZeroCount(micros), 10 + Octaves - 1);
        var sub = Math.Min((micros >> (octave - 9)) - SubBuckets, SubBuckets - 1);
        return LinearLimit + ((octave - 10) * SubBuckets) + (int)sub;
    }

    /// <summary>The middle of bucket <paramref name="index"/> in microseconds.</summary>
    private static long ValueOf(int index)
    {
        if (index < LinearLimit)
        {
            return index;
        }

        var octave = 10 + ((index - LinearLimit) / SubBuckets);
        var sub = (index - LinearLimit) % SubBuckets;
        var width = 1L << (octave - 9);
        return ((SubBuckets + sub) * width) + (width / 2);
    }
}
