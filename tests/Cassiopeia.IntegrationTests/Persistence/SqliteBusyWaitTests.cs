using System.Diagnostics;
using Cassiopeia.Core.Data;
using Cassiopeia.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Persistence;

/// <summary>
/// The busy handler that replaces SQLite's sleeping one, and the background checkpointer that keeps
/// checkpoints out of commits: real SQLite files, raw connections for the handler, the service's own
/// registrations for the checkpointer.
/// </summary>
public sealed class SqliteBusyWaitTests : IDisposable
{
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cassiopeia-busy-" + Guid.NewGuid().ToString("N"));

    public SqliteBusyWaitTests() => Directory.CreateDirectory(_directory);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task A_waiting_writer_gets_the_lock_once_the_holder_commits()
    {
        var path = Path.Combine(_directory, "wait.db");
        await using var holder = await OpenAsync(path, "CREATE TABLE probe (n INTEGER NOT NULL)");
        await using var waiter = await OpenAsync(path, null);
        Assert.True(SqliteBusyWait.TryInstall(waiter, TimeSpan.FromSeconds(10)));

        await using var held = (SqliteTransaction)await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, "INSERT INTO probe (n) VALUES (1)", held);
        var writing = Task.Run(() => ExecuteAsync(waiter, "INSERT INTO probe (n) VALUES (2)", null));

        Assert.NotSame(writing, await Task.WhenAny(writing, Task.Delay(300)));
        await held.CommitAsync();
        SqliteBusyWait.WriterFinished();
        await writing.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal([1L, 2L], await RowsAsync(holder));
    }

    [Fact]
    public async Task A_writer_that_waits_past_its_timeout_fails_as_busy_and_writes_nothing()
    {
        var path = Path.Combine(_directory, "timeout.db");
        await using var holder = await OpenAsync(path, "CREATE TABLE probe (n INTEGER NOT NULL)");
        // Microsoft.Data.Sqlite retries a busy statement until the command timeout (here 1 s); each try waits in the handler.
        await using var waiter = await OpenAsync(path + ";Default Timeout=1", null);
        Assert.True(SqliteBusyWait.TryInstall(waiter, TimeSpan.FromMilliseconds(200)));

        await using var held = (SqliteTransaction)await holder.BeginTransactionAsync();
        await ExecuteAsync(holder, "INSERT INTO probe (n) VALUES (1)", held);
        var clock = Stopwatch.StartNew();
        var busy = await Assert.ThrowsAsync<SqliteException>(() => Task.Run(() => ExecuteAsync(waiter, "INSERT INTO probe (n) VALUES (2)", null)).WaitAsync(TimeSpan.FromSeconds(30)));
        Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY: answered 503 with Retry-After
        Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(200), $"gave up after {clock.Elapsed}");

        await held.CommitAsync();
        Assert.Equal([1L], await RowsAsync(holder));
    }

    [Fact]
    public async Task Commits_are_checkpointed_in_the_background_not_by_the_committing_connection()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Cassiopeia:DataDirectory"] = _directory,
        }).Build();
        var collection = new ServiceCollection().AddLogging().AddMetrics().AddSingleton<IConfiguration>(configuration);
        collection.AddScoped<TenantContext>();
        collection.AddPersistence(configuration);
        await using var services = collection.BuildServiceProvider();
        var checkpointer = services.GetRequiredService<SqliteCheckpointer>();
        var database = Path.Combine(_directory, "cassiopeia.db");

        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL");
            await db.Database.OpenConnectionAsync();
            await using (var pragma = db.Database.GetDbConnection().CreateCommand())
            {
                pragma.CommandText = "PRAGMA wal_autocheckpoint";
                Assert.Equal((long)SqliteCheckpointer.BackstopPages, await pragma.ExecuteScalarAsync());
                pragma.CommandText = "PRAGMA journal_mode";
                Assert.Equal("wal", await pragma.ExecuteScalarAsync());
            }

            await db.Database.ExecuteSqlRawAsync("CREATE TABLE filler (data BLOB NOT NULL)");
        }

        // Closing the last connection to a database checkpoints it too (tests running beside this one clear
        // the connection pools): a connection of the test's own stays open throughout.
        await using var keeper = new SqliteConnection($"Data Source={database};Pooling=False");
        await keeper.OpenAsync();
        await checkpointer.StartAsync(CancellationToken.None);
        try
        {
            var before = new FileInfo(database).Length;
            await using (var scope = services.CreateAsyncScope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                await using var transaction = await db.Database.BeginTransactionAsync();
                await db.Database.ExecuteSqlRawAsync("WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 500) INSERT INTO filler (data) SELECT randomblob(4000) FROM n");
                await transaction.CommitAsync();
            }

            // 500 pages are far below the connections' own threshold: only the checkpointer copies them into the database file.
            var deadline = Stopwatch.StartNew();
            while ((checkpointer.Runs == 0 || new FileInfo(database).Length < before + (500 * 4000)) && deadline.Elapsed < TimeSpan.FromSeconds(10))
            {
                await Task.Delay(20);
            }

            Assert.True(new FileInfo(database).Length >= before + (500 * 4000), $"database file {new FileInfo(database).Length} bytes after {checkpointer.Runs} checkpoints");
            Assert.True(checkpointer.Runs >= 1);
        }
        finally
        {
            await checkpointer.StopAsync(CancellationToken.None);
        }
    }

    private static async Task<SqliteConnection> OpenAsync(string dataSource, string? setup)
    {
        var connection = new SqliteConnection($"Data Source={dataSource};Pooling=False");
        await connection.OpenAsync();
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL", null);
        if (setup is not null)
        {
            await ExecuteAsync(connection, setup, null);
        }

        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, SqliteTransaction? transaction)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Transaction = transaction;
        await command.ExecuteNonQueryAsync();
    }

    private static async Task<List<long>> RowsAsync(SqliteConnection connection)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT n FROM probe ORDER BY n";
        var rows = new List<long>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetInt64(0));
        }

        return rows;
    }
}
