using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Cassiopeia.Api.Observability;

public static class Telemetry
{
    public const string ServiceName = "cassiopeia";

    /// <summary>
    /// JSON logs with scopes (request id, trace id), OpenTelemetry traces and metrics, a Prometheus
    /// scrape endpoint, and OTLP export when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.
    /// </summary>
    public static WebApplicationBuilder AddCassiopeiaTelemetry(this WebApplicationBuilder builder)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddJsonConsole(o =>
        {
            o.IncludeScopes = true;
            o.UseUtcTimestamp = true;
            o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
        });
        builder.Logging.Configure(o => o.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(r => r.AddService(ServiceName))
            .WithTracing(t => t
                .AddAspNetCoreInstrumentation(o => o.Filter = c => !IsOperational(c.Request.Path))
                .AddSource(Core.Ingestion.IngestionTelemetry.Name))
            .WithMetrics(m => m
                .AddAspNetCoreInstrumentation()
                .AddMeter("Microsoft.AspNetCore.Server.Kestrel", "System.Runtime", Core.Ingestion.IngestionTelemetry.Name, Core.Usage.MeteredUsageRecorder.MeterName, Infrastructure.Persistence.SqliteWriteGate.MeterName)
                .AddPrometheusExporter());
        if (!string.IsNullOrWhiteSpace(builder.Configuration["OTEL_EXPORTER_OTLP_ENDPOINT"]))
        {
            otel.UseOtlpExporter();
        }

        return builder;
    }

    public static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase) || path.StartsWithSegments("/metrics", StringComparison.OrdinalIgnoreCase);
}
