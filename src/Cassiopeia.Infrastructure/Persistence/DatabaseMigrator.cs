using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Infrastructure.Persistence;

public static partial class DatabaseMigrator
{
    /// <summary>Applies pending migrations (and, on SQLite, switches the file to WAL, which persists).</summary>
    public static async Task MigrateAsync(IServiceProvider services, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var logger = scope.ServiceProvider.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(DatabaseMigrator));
        var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
        await db.Database.MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        LogMigrated(logger, db.Database.ProviderName ?? "?", pending.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Database ready on {Provider}: {Count} migration(s) applied")]
    private static partial void LogMigrated(ILogger logger, string provider, int count);
}
