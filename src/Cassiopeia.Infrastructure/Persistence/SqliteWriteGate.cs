using System.Data.Common;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Globalization;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Infrastructure.Persistence;

/// <summary>
/// SQLite has one writer at a time. A transaction that finds the write lock taken waits in SQLite's
/// busy handler, which sleeps 1, 2, 5, 10, 15… ms between tries whether or not the lock was freed in
/// the meantime: under concurrent uploads and ingestion a `perf` trace showed ~250 such sleeps a second
/// in the server, with a core idle. This gate makes the process's own transactions queue for the
/// write lock instead: a transaction waits (asynchronously, in order) until the one before it has
/// committed or rolled back, and starts the moment it has. Other processes on the same file (a
/// separate worker role) still meet the busy handler. Opt-in (<c>Database:WriteGate</c>): the default
/// busy handler, <see cref="SqliteBusyWait"/>, no longer sleeps blindly either, and does as well
/// without a queue.
/// <para>
/// The gate is taken when EF starts a transaction and given back when it commits, rolls back or
/// fails, or when the connection closes (a transaction disposed without either). A transaction that
/// waits longer than SQLite's own busy timeout fails as SQLite would have ("database is locked",
/// answered 503 with Retry-After): it never goes ahead without the gate, which under overload would
/// put the waiting writers back into the busy handler beside the queue. Written by hand because
/// neither EF Core nor Microsoft.Data.Sqlite queue writers.
/// </para>
/// <para>Metrics (meter <see cref="MeterName"/>): <c>cassiopeia.sqlite.write_gate.wait</c>, the time each transaction waited for the gate.</para>
/// </summary>
public sealed partial class SqliteWriteGate : IDbTransactionInterceptor, IDbConnectionInterceptor, IDisposable
{
    public const string MeterName = "Cassiopeia.Persistence";

    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly ConditionalWeakTable<DbConnection, Holding> _holdings = [];
    private readonly ILogger<SqliteWriteGate> _log;
    private readonly Meter _meter;
    private readonly Histogram<double> _waited;

    /// <summary>How long a transaction waits for the gate before it fails as busy: SQLite's own busy timeout.</summary>
    internal TimeSpan Timeout { get; set; } = SqliteConnectionTuning.BusyTimeout;

    public SqliteWriteGate(ILogger<SqliteWriteGate> log, IMeterFactory meters)
    {
        _log = log;
        _meter = meters.Create(MeterName);
        _waited = _meter.CreateHistogram<double>("cassiopeia.sqlite.write_gate.wait", "s", "Time a SQLite transaction waited for this process's write gate.", tags: null, Core.Common.DurationHistograms.Seconds);
    }

    public InterceptionResult<DbTransaction> TransactionStarting(DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result)
    {
        var started = Stopwatch.GetTimestamp();
        Hold(connection, _gate.Wait(Timeout), started);
        return result;
    }

    public async ValueTask<InterceptionResult<DbTransaction>> TransactionStartingAsync(
        DbConnection connection, TransactionStartingEventData eventData, InterceptionResult<DbTransaction> result, CancellationToken cancellationToken = default)
    {
        var started = Stopwatch.GetTimestamp();
        Hold(connection, await _gate.WaitAsync(Timeout, cancellationToken).ConfigureAwait(false), started);
        return result;
    }

    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Context);

    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Release(eventData.Context);

    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public void TransactionFailed(DbTransaction transaction, TransactionErrorEventData eventData) => Release(eventData.Context);

    public Task TransactionFailedAsync(DbTransaction transaction, TransactionErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        Release(eventData.Context);
        return Task.CompletedTask;
    }

    public InterceptionResult ConnectionClosing(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return result;
    }

    public ValueTask<InterceptionResult> ConnectionClosingAsync(DbConnection connection, ConnectionEventData eventData, InterceptionResult result)
    {
        Release(connection);
        return ValueTask.FromResult(result);
    }

    public void Dispose()
    {
        _gate.Dispose();
        _meter.Dispose();
    }

    private void Hold(DbConnection connection, bool entered, long started)
    {
        _waited.Record(Stopwatch.GetElapsedTime(started).TotalSeconds);
        if (!entered)
        {
            LogGaveUp(_log, Timeout.TotalSeconds);
            throw new SqliteException(string.Create(CultureInfo.InvariantCulture, $"database is locked: waited {Timeout.TotalSeconds:0.#} s for this process's write gate"), Outage.SqliteBusy);
        }

        var holding = _holdings.GetOrCreateValue(connection);
        if (holding.Held)
        {
            // A connection runs one transaction at a time, so this cannot happen; if it did, keep one hold, not two.
            _gate.Release();
            return;
        }

        holding.Held = true;
    }

    private void Release(DbContext? context)
    {
        if (context is not null)
        {
            Release(context.Database.GetDbConnection());
        }
    }

    private void Release(DbConnection connection)
    {
        if (_holdings.TryGetValue(connection, out var holding) && holding.Held)
        {
            holding.Held = false;
            _gate.Release();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A SQLite transaction waited {Seconds} s for this process's write gate and failed as busy; the database is overloaded.")]
    private static partial void LogGaveUp(ILogger logger, double seconds);

    private sealed class Holding
    {
        public bool Held { get; set; }
    }
}
