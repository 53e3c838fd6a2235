using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cassiopeia.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings: NORMAL synchronous is durable with WAL (a crash loses no
/// committed transaction, only a power cut may lose the last ones), and a busy timeout lets
/// concurrent writers queue instead of failing. EF opens a pooled connection for every query,
/// so the settings are applied once per native connection, not on every open.
/// </summary>
internal sealed class SqliteConnectionTuning : DbConnectionInterceptor
{
    /// <summary>How long a writer waits for the write lock before SQLite answers "database is locked".</summary>
    internal static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private static readonly string Pragmas = string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON;");
    private static readonly ConditionalWeakTable<object, object> Tuned = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
        }
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    private static bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Tuned.TryAdd(handle, Tuned);
}
