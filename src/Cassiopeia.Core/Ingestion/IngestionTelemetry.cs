using System.Diagnostics;
using System.Diagnostics.Metrics;
using Cassiopeia.Core.Common;

namespace Cassiopeia.Core.Ingestion;

/// <summary>Traces and metrics of the ingestion pipeline (exported by the host's OpenTelemetry setup).</summary>
public sealed class IngestionTelemetry : IDisposable
{
    public const string Name = "Cassiopeia.Ingestion";

    public static readonly ActivitySource Source = new(Name);

    private readonly Meter _meter;
    private int _backlog;

    public IngestionTelemetry(IMeterFactory meters)
    {
        _meter = meters.Create(Name);
        StepDuration = _meter.CreateHistogram<double>("cassiopeia.ingestion.step.duration", "s", "Time of one pipeline step (extract, chunk, embed, index).", tags: null, DurationHistograms.Seconds);
        Completed = _meter.CreateCounter<long>("cassiopeia.ingestion.documents.completed", description: "Documents that became ready.");
        Retries = _meter.CreateCounter<long>("cassiopeia.ingestion.retries", description: "Attempts that failed transiently and were rescheduled.");
        Failures = _meter.CreateCounter<long>("cassiopeia.ingestion.failures", description: "Documents failed for good (dead letter).");
        _meter.CreateObservableGauge("cassiopeia.ingestion.backlog", () => Volatile.Read(ref _backlog), description: "Jobs pending or running, as last seen by this process's workers.");
    }

    public Histogram<double> StepDuration { get; }

    public Counter<long> Completed { get; }

    public Counter<long> Retries { get; }

    public Counter<long> Failures { get; }

    public void ObserveBacklog(int value) => Volatile.Write(ref _backlog, value);

    public void Dispose() => _meter.Dispose();
}
