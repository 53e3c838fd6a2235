using System.Diagnostics.Metrics;

namespace Cassiopeia.Core.Common;

/// <summary>
/// Bucket boundaries for duration histograms recorded in seconds. Without them OpenTelemetry uses its
/// default boundaries (0, 5, 10, 25 … 10000), made for milliseconds, and every sub-second duration
/// lands in the first bucket. These are the boundaries ASP.NET Core uses for request durations, with
/// four finer ones below 5 ms (a write-gate wait or a chunking step is often shorter).
/// </summary>
public static class DurationHistograms
{
    public static readonly InstrumentAdvice<double> Seconds = new()
    {
        HistogramBucketBoundaries = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10],
    };
}
