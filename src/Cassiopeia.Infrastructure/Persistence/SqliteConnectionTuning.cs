using System.Data.Common;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cassiopeia.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings: NORMAL synchronous is durable with WAL (a crash loses no
/// committed transaction, only a power cut may lose the last ones), and a busy timeout lets
/// concurrent writers queue instead of failing.
/// </summary>
internal sealed class SqliteConnectionTuning : DbConnectionInterceptor
{
    private const string Pragmas = "PRAGMA synchronous=NORMAL; PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON;";

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
