using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cassiopeia.Bench;

/// <summary>The summary of one measured phase, printed as text or as one JSON object.</summary>
public sealed record BenchResult(
    string Label,
    string Mode,
    int Connections,
    int? TargetRate,
    double Seconds,
    long Requests,
    long Errors,
    double Rps,
    double P50Ms,
    double P90Ms,
    double P95Ms,
    double P99Ms,
    double MaxMs,
    double? ServiceP50Ms,
    double? ServiceP99Ms,
    IReadOnlyDictionary<string, long> ErrorsByKind)
{
    private static readonly JsonSerializerOptions JsonOptions = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    public static BenchResult From(BenchOptions options, RunStats stats)
    {
        var seconds = stats.Elapsed.TotalSeconds;
        var latency = stats.Latency;
        var requests = latency.Count + stats.Errors;
        var service = stats.ServiceTime;
        return new BenchResult(
            options.Label,
            options.IsOpenLoop ? "open" : "closed",
            options.Connections,
            options.Rate,
            Math.Round(seconds, 3),
            requests,
            stats.Errors,
            Math.Round(requests / seconds, 1),
            Round(latency.PercentileMilliseconds(0.50)),
            Round(latency.PercentileMilliseconds(0.90)),
            Round(latency.PercentileMilliseconds(0.95)),
            Round(latency.PercentileMilliseconds(0.99)),
            Round(latency.MaxMilliseconds),
            options.IsOpenLoop ? Round(service.PercentileMilliseconds(0.50)) : null,
            options.IsOpenLoop ? Round(service.PercentileMilliseconds(0.99)) : null,
            new SortedDictionary<string, long>(stats.ErrorsByKind.ToDictionary(), StringComparer.Ordinal));
    }

    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    public string ToText()
    {
        var text = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        text.AppendLine(inv, $"{Label} [{Mode}-loop, {Connections} connections{(TargetRate is { } r ? $", {r} req/s scheduled" : "")}]");
        text.AppendLine(inv, $"  requests {Requests} in {Seconds:F1} s = {Rps:F0} req/s, errors {Errors}");
        text.AppendLine(inv, $"  latency ms: p50 {P50Ms:F3}  p90 {P90Ms:F3}  p95 {P95Ms:F3}  p99 {P99Ms:F3}  max {MaxMs:F3}");
        if (ServiceP50Ms is { } s50 && ServiceP99Ms is { } s99)
        {
            text.AppendLine(inv, $"  from actual send ms: p50 {s50:F3}  p99 {s99:F3}");
        }

        foreach (var (kind, count) in ErrorsByKind)
        {
            text.AppendLine(inv, $"  error {kind}: {count}");
        }

        return text.ToString();
    }

    private static double Round(double value) => Math.Round(value, 3);
}
