using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Infrastructure.Persistence;

/// <summary>
/// Copies the write-ahead log back into the database file in the background. SQLite's automatic
/// checkpoint runs inside the commit that pushed the log past its threshold, and with it that commit
/// waits for the copy and two fsyncs (the log, then the database): every ~40 commits under ingestion,
/// an upload group stood still for several milliseconds while the uploads behind it queued. Here
/// a passive checkpoint on a connection of its own follows commits (at most every <see cref="Pace"/>),
/// so commits return as soon as their log frames are written; durability is unchanged (the log is
/// synced before its frames are copied, as before). The connections' own automatic checkpoint stays
/// as a backstop at <see cref="BackstopPages"/>, for when this one is not running (admin commands) or
/// falls behind.
/// </summary>
internal sealed partial class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> log) : BackgroundService
{
    /// <summary>Log pages after which a committing connection checkpoints on its own (SQLite's default is 1,000).</summary>
    internal const int BackstopPages = 10_000;

    private readonly SemaphoreSlim _committed = new(0, 1);
    private int _pending;

    /// <summary>How often at most a checkpoint runs while commits keep coming (from 10 ms to 1 s made no difference to ingestion).</summary>
    internal static readonly TimeSpan Pace = TimeSpan.FromMilliseconds(100);

    /// <summary>Checkpoints that ran, for tests.</summary>
    internal int Runs { get; private set; }

    /// <summary>A transaction of this process committed: a checkpoint follows.</summary>
    public void Committed()
    {
        if (Interlocked.Exchange(ref _pending, 1) == 0)
        {
            _committed.Release();
        }
    }

    public override void Dispose()
    {
        _committed.Dispose();
        base.Dispose();
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await using var connection = new SqliteConnection(connectionString);
        var failures = 0;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await _committed.WaitAsync(stoppingToken);
                await Task.Delay(Pace, stoppingToken);
                Volatile.Write(ref _pending, 0);
                if (connection.State != System.Data.ConnectionState.Open)
                {
                    await connection.OpenAsync(stoppingToken);
                }

                await using var command = connection.CreateCommand();
                command.CommandText = "PRAGMA wal_checkpoint(PASSIVE);";
                await command.ExecuteNonQueryAsync(stoppingToken);
                Runs++;
                failures = 0;
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                // The backstop checkpoints meanwhile; say so once per run of failures, then try again with the next commit.
                if (failures++ == 0)
                {
                    LogFailed(log, e);
                }

                await connection.CloseAsync();
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "A background SQLite checkpoint failed; commits checkpoint on their own until it works again")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}

/// <summary>The SQLite database of the embedded profile, registered only when it is the database in use.</summary>
internal sealed record SqliteDatabase(string ConnectionString);
