using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cassiopeia.Infrastructure;

/// <summary>What kind of infrastructure failure an exception reports, when it reports one.</summary>
public enum OutageKind
{
    /// <summary>Not an outage: a bug or an unexpected state, answered as a 500.</summary>
    None,

    /// <summary>The database cannot be reached or refuses work for now; the same request succeeds later.</summary>
    DatabaseUnavailable,

    /// <summary>The disk (or the quota) under the database or the blob files is full.</summary>
    StorageFull,
}

/// <summary>
/// Tells an outage of a dependency from a bug, so a request that met one is answered 503 or 507
/// (the client should retry, or the operator should free space) instead of a 500 that reads like a
/// defect. The providers report outages in their own ways (socket errors wrapped by Npgsql, server
/// states in SQLSTATE, SQLite result codes, errno in an IOException); this is the one place that
/// knows them all.
/// </summary>
public static class Outage
{
    // errno on Linux and macOS (ENOSPC 28; EDQUOT 122 on Linux, 69 on macOS) and the Win32 errors
    // ERROR_HANDLE_DISK_FULL (39) and ERROR_DISK_FULL (112), which .NET puts in IOException.HResult.
    private const int Enospc = 28;
    private const int EdquotLinux = 122;
    private const int EdquotMac = 69;
    private const int WindowsHandleDiskFull = unchecked((int)0x80070027);
    private const int WindowsDiskFull = unchecked((int)0x80070070);

    // SQLite primary result codes.
    internal const int SqliteBusy = 5;
    private const int SqliteLocked = 6;
    private const int SqliteFull = 13;

    public static OutageKind Classify(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            var kind = e switch
            {
                PostgresException pg => Postgres(pg.SqlState),
                NpgsqlException npgsql => npgsql.IsTransient ? OutageKind.DatabaseUnavailable : OutageKind.None,
                SqliteException sqlite => Sqlite(sqlite.SqliteErrorCode),
                IOException io when IsDiskFull(io) => OutageKind.StorageFull,
                _ => OutageKind.None,
            };
            if (kind != OutageKind.None)
            {
                return kind;
            }

            if (e is SqliteException or PostgresException)
            {
                return OutageKind.None; // The database answered: what it said is not an outage.
            }
        }

        return OutageKind.None;
    }

    /// <summary>
    /// Drops idle pooled PostgreSQL connections after an outage was seen, so the first requests after
    /// the server returns open fresh connections instead of failing on ones the outage cut.
    /// </summary>
    public static void ForgetBrokenConnections(OutageKind kind)
    {
        if (kind == OutageKind.DatabaseUnavailable)
        {
            NpgsqlConnection.ClearAllPools();
        }
    }

    internal static bool IsDiskFull(IOException io) => OperatingSystem.IsWindows()
        ? io.HResult is WindowsDiskFull or WindowsHandleDiskFull
        : io.HResult is Enospc || (OperatingSystem.IsMacOS() ? io.HResult == EdquotMac : io.HResult == EdquotLinux);

    // Class 08 (connection exception), 57P01-57P03 (shutting down, cannot connect now),
    // 53300 (too many connections) pass; 53100 is the server's disk being full.
    private static OutageKind Postgres(string sqlState) => sqlState switch
    {
        "53100" => OutageKind.StorageFull,
        "53300" or "57P01" or "57P02" or "57P03" => OutageKind.DatabaseUnavailable,
        _ when sqlState.StartsWith("08", StringComparison.Ordinal) => OutageKind.DatabaseUnavailable,
        _ => OutageKind.None,
    };

    private static OutageKind Sqlite(int code) => code switch
    {
        SqliteBusy or SqliteLocked => OutageKind.DatabaseUnavailable,
        SqliteFull => OutageKind.StorageFull,
        _ => OutageKind.None,
    };
}
