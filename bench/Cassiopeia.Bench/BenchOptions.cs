namespace Cassiopeia.Bench;

/// <summary>
/// What one run does. Without <see cref="Rate"/> the run is closed-loop (each connection sends its
/// next request when the previous answer arrives); with it the run is open-loop at a constant rate.
/// </summary>
public sealed record BenchOptions
{
    public const int MaxConnections = 1024;
    public const int MaxDurationSeconds = 300;
    public const int MaxRate = 200_000;

    public required Uri Url { get; init; }

    /// <summary>The URLs sent in turn (just <see cref="Url"/> unless a URL file was given).</summary>
    public IReadOnlyList<Uri> Urls { get; init; } = [];

    public HttpMethod Method { get; init; } = HttpMethod.Get;

    public IReadOnlyList<KeyValuePair<string, string>> Headers { get; init; } = [];

    public string? Body { get; init; }

    public string ContentType { get; init; } = "application/json";

    public int Connections { get; init; } = 32;

    public int DurationSeconds { get; init; } = 15;

    public int WarmupSeconds { get; init; } = 3;

    /// <summary>Requests per second for an open-loop run; null for closed-loop.</summary>
    public int? Rate { get; init; }

    /// <summary>Stops a run early once this many requests were sent (warm-up excluded).</summary>
    public long MaxRequests { get; init; } = 50_000_000;

    /// <summary>Open-loop only: requests beyond this many in flight are dropped and counted as errors.</summary>
    public int MaxInFlight { get; init; } = 10_000;

    public bool Json { get; init; }

    public string Label { get; init; } = "";

    public bool IsOpenLoop => Rate is not null;
}
