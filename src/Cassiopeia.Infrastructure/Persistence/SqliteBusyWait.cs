using System.Data.Common;
using System.Diagnostics;
using System.Runtime.InteropServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Cassiopeia.Infrastructure.Persistence;

/// <summary>
/// SQLite's own busy handler (<c>PRAGMA busy_timeout</c>) sleeps 1, 2, 5, 10, 15… ms between tries
/// for the write lock whether or not it was freed meanwhile: behind a 3 ms transaction a writer sleeps
/// 8 ms. Here the end of each of this process's write transactions (<see cref="Interceptor"/> signals
/// every commit and rollback) wakes one waiting writer, which tries again at once; a writer it is not
/// told about (another process on the same file) is noticed when the wait times out, after SQLite's
/// own delays, so waiting never costs more wake-ups than SQLite's handler. One waiter per release, not
/// all: the others would only find the lock taken again by the first. It gives up after its timeout
/// (<see cref="SqliteConnectionTuning.BusyTimeout"/>) as <c>busy_timeout</c> would, with "database is
/// locked". Unlike <see cref="SqliteWriteGate"/> it
/// keeps SQLite's own order (whoever tries first after a release wins) and blocks the waiting thread
/// as SQLite's handler does, so a released lock never waits for a queued holder to be scheduled.
/// Installed on each native connection through <c>sqlite3_busy_handler</c>, which neither
/// Microsoft.Data.Sqlite nor SQLitePCLRaw exposes, hence the P/Invoke into the same bundled library;
/// where that fails (another SQLite build), <c>PRAGMA busy_timeout</c> stays in charge.
/// </summary>
internal static partial class SqliteBusyWait
{
    /// <summary>The SQLite library bundled by SQLitePCLRaw (SQLitePCLRaw.bundle_e_sqlite3), already loaded by Microsoft.Data.Sqlite.</summary>
    private const string Library = "e_sqlite3";

    private static readonly object Signal = new(); // A monitor, not a Lock: waiters are woken with Monitor.Pulse.

    /// <summary>SQLite's own busy delays (sqlite3 main.c, sqliteDefaultBusyCallback), in milliseconds: how long a wait lasts unless woken.</summary>
    private static readonly int[] Delays = [1, 2, 5, 10, 15, 20, 25, 25, 25, 50, 50, 100];
    private static readonly BusyHandler Handler = OnBusy;
    private static readonly IntPtr HandlerPointer = Marshal.GetFunctionPointerForDelegate(Handler);
    private static int _waiting;
    private static bool _unavailable;

    [ThreadStatic]
    private static long _busySince;

    [UnmanagedFunctionPointer(CallingConvention.Cdecl)]
    private delegate int BusyHandler(IntPtr argument, int count);

    /// <summary>
    /// Replaces the busy handler of <paramref name="connection"/>'s native connection, to give up after
    /// <paramref name="timeout"/>; false when this SQLite build does not allow it.
    /// </summary>
    public static bool TryInstall(DbConnection connection, TimeSpan timeout)
    {
        if (Volatile.Read(ref _unavailable) || connection is not SqliteConnection { Handle: { } handle })
        {
            return false;
        }

        try
        {
            return SetBusyHandler(handle.DangerousGetHandle(), HandlerPointer, new IntPtr((long)timeout.TotalMilliseconds)) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            Volatile.Write(ref _unavailable, true);
            return false;
        }
    }

    /// <summary>A write transaction of this process ended: one waiting writer tries again now.</summary>
    public static void WriterFinished()
    {
        if (Volatile.Read(ref _waiting) > 0)
        {
            lock (Signal)
            {
                Monitor.Pulse(Signal);
            }
        }
    }

    /// <summary>A write of this process committed: one waiting writer tries again now, and a checkpoint follows.</summary>
    public static void Committed(SqliteCheckpointer? checkpointer)
    {
        WriterFinished();
        checkpointer?.Committed();
    }

    /// <summary>
    /// Called by SQLite on the waiting thread, <paramref name="count"/> times before for this wait, with
    /// the connection's timeout in milliseconds: 1 to try again, 0 to give up with SQLITE_BUSY. It must
    /// not throw into native code.
    /// </summary>
    private static int OnBusy(IntPtr timeoutMilliseconds, int count)
    {
        try
        {
            if (count == 0)
            {
                _busySince = Stopwatch.GetTimestamp();
            }
            else if (Stopwatch.GetElapsedTime(_busySince).TotalMilliseconds >= (long)timeoutMilliseconds)
            {
                return 0;
            }

            lock (Signal)
            {
                _waiting++;
                try
                {
                    // Woken by the end of this process's next write transaction; the timeout notices others.
                    Monitor.Wait(Signal, Delays[Math.Min(count, Delays.Length - 1)]);
                }
                finally
                {
                    _waiting--;
                }
            }

            return 1;
        }
        catch (Exception)
        {
            return 0;
        }
    }

    [LibraryImport(Library, EntryPoint = "sqlite3_busy_handler")]
    private static partial int SetBusyHandler(IntPtr database, IntPtr handler, IntPtr argument);

    /// <summary>
    /// Signals the end of every write transaction, and of every statement run outside one (which may
    /// have written), to the waiting writers; commits also to the <see cref="SqliteCheckpointer"/>.
    /// </summary>
    internal sealed class Interceptor(SqliteCheckpointer? checkpointer) : IDbTransactionInterceptor, IDbCommandInterceptor
    {
        public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Committed();

        public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            Committed();
            return Task.CompletedTask;
        }

        public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => WriterFinished();

        public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
        {
            WriterFinished();
            return Task.CompletedTask;
        }

        public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => WriterFinished();

        public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
        {
            WriterFinished();
            return Task.CompletedTask;
        }

        public int NonQueryExecuted(DbCommand command, CommandExecutedEventData eventData, int result)
        {
            AfterStatement(command);
            return result;
        }

        public ValueTask<int> NonQueryExecutedAsync(DbCommand command, CommandExecutedEventData eventData, int result, CancellationToken cancellationToken = default)
        {
            AfterStatement(command);
            return ValueTask.FromResult(result);
        }

        private void AfterStatement(DbCommand command)
        {
            if (command.Transaction is null)
            {
                Committed();
            }
        }

        private void Committed() => SqliteBusyWait.Committed(checkpointer);
    }
}
