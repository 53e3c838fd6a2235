using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cassiopeia.Infrastructure.Persistence;

/// <summary>
/// Per-connection SQLite settings: NORMAL synchronous is durable with WAL (a crash loses no
/// committed transaction, only a power cut may lose the last ones), and a busy timeout lets
/// concurrent writers queue instead of failing, in <see cref="SqliteBusyWait"/>'s handler where it can be
/// installed. EF opens a pooled connection for every query, so the settings are applied once per
/// native connection, not on every open.
/// </summary>
internal sealed class SqliteConnectionTuning : DbConnectionInterceptor
{
    /// <summary>How long a writer waits for the write lock before SQLite answers "database is locked".</summary>
    internal static readonly TimeSpan BusyTimeout = TimeSpan.FromSeconds(10);

    private static readonly string Pragmas = string.Create(
        System.Globalization.CultureInfo.InvariantCulture,
        $"PRAGMA wal_autocheckpoint={SqliteCheckpointer.BackstopPages}; PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={(int)BusyTimeout.TotalMilliseconds}; PRAGMA foreign_keys=ON;");
    private static readonly ConditionalWeakTable<object, object> Tuned = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsNew(connection))
        {
            using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            command.ExecuteNonQuery();
            SqliteBusyWait.TryInstall(connection, BusyTimeout);
        }
    }

    public override Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default) =>
        ApplyAsync(connection, cancellationToken);

    /// <summary>The same settings on a connection opened outside EF (the blob store's object table).</summary>
    internal static async Task ApplyAsync(DbConnection connection, CancellationToken ct)
    {
        if (IsNew(connection))
        {
            await using var command = connection.CreateCommand();
            command.CommandText = Pragmas;
            await command.ExecuteNonQueryAsync(ct);
            SqliteBusyWait.TryInstall(connection, BusyTimeout);
        }
    }

    private static bool IsNew(DbConnection connection) =>
        connection is not SqliteConnection { Handle: { } handle } || Tuned.TryAdd(handle, Tuned);
}
