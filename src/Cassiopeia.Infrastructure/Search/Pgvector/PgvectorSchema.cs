using Microsoft.Extensions.Hosting;

namespace Cassiopeia.Infrastructure.Search.Pgvector;

/// <summary>Creates the pgvector schema at start, so a server without the extension fails start-up with a clear message instead of the first search.</summary>
public sealed class PgvectorSchema(PgvectorTable table) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken) => table.EnsureSchemaAsync(cancellationToken);

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
