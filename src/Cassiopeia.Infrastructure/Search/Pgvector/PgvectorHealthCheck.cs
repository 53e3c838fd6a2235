using Microsoft.Extensions.Diagnostics.HealthChecks;
using Npgsql;

namespace Cassiopeia.Infrastructure.Search.Pgvector;

/// <summary>
/// Readiness of the vector store when it is pgvector: one statement on its table (<see cref="HealthProbe"/>).
/// Unhealthy when it fails, like the database and the bucket: without it neither vector search nor
/// indexing works, and there is nothing to fall back to (when the vectors live in the main
/// database, that database's own check fails too).
/// </summary>
public sealed class PgvectorHealthCheck(PgvectorTable table) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        HealthProbe.RunAsync(table.ProbeAsync, e => e is NpgsqlException or TimeoutException, "The pgvector store is not reachable.", cancellationToken);
}
