using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Cassiopeia.Infrastructure.Search.Pgvector;

/// <summary>
/// Readiness of the vector store when it is pgvector: one statement on its table, within 5 s.
/// Unhealthy when it fails, like the database and the bucket: without it neither vector search nor
/// indexing works, and there is nothing to fall back to (when the vectors live in the main
/// database, that database's own check fails too).
/// </summary>
public sealed class PgvectorHealthCheck(PgvectorTable table) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await table.ProbeAsync(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is NpgsqlException or OperationCanceledException or TimeoutException)
        {
            // The reason goes to the health log, never to the response body (which shows the status only).
            return HealthCheckResult.Unhealthy("The pgvector store is not reachable.", e);
        }
    }
}
