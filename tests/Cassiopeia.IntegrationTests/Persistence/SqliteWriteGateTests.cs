using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Cassiopeia.Core.Data;
using Cassiopeia.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Persistence;

/// <summary>
/// The process's SQLite transactions queue for the write lock in the process (instead of sleeping in
/// SQLite's busy handler): a second transaction starts only once the first has ended, however it
/// ended. Real SQLite file, contexts from the same registrations as the service.
/// </summary>
public sealed class SqliteWriteGateTests : IAsyncLifetime
{
    private static readonly TimeSpan Blocked = TimeSpan.FromMilliseconds(300);
    private readonly string _directory = Path.Combine(Path.GetTempPath(), "cassiopeia-gate-" + Guid.NewGuid().ToString("N"));
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Database:WriteGate"] = "true",
            ["Cassiopeia:DataDirectory"] = _directory,
        }).Build();
        var services = new ServiceCollection().AddLogging().AddMetrics().AddSingleton<IConfiguration>(configuration);
        services.AddScoped<TenantContext>();
        services.AddPersistence(configuration);
        _services = services.BuildServiceProvider();
        await using var scope = _services.CreateAsyncScope();
        await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.ExecuteSqlRawAsync("CREATE TABLE gate_probe (n INTEGER NOT NULL)");
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(_directory, recursive: true);
    }

    [Theory]
    [InlineData("commit")]
    [InlineData("rollback")]
    [InlineData("dispose")]
    public async Task A_second_transaction_starts_only_after_the_first_has_ended(string ending)
    {
        // What each transaction waited for the gate: the second one's wait is the proof it queued
        // in the process, not in SQLite's busy handler (where it would also wait, but sleeping).
        var waits = new ConcurrentQueue<double>();
        var meters = _services.GetRequiredService<IMeterFactory>(); // this provider's gate only, not those of tests running alongside
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (instrument.Meter.Scope == meters && instrument.Meter.Name == SqliteWriteGate.MeterName && instrument.Name == "cassiopeia.sqlite.write_gate.wait")
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<double>((_, value, _, _) => waits.Enqueue(value));
        listener.Start();

        await using var held = await HoldTheGateAsync();
        var (a, b, transaction) = (held.A, held.B, held.Transaction);
        var beginning = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var began = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = Task.Run(async () =>
        {
            beginning.SetResult();
            await using var other = await b.Database.BeginTransactionAsync();
            began.SetResult();
            await b.Database.ExecuteSqlRawAsync("INSERT INTO gate_probe (n) VALUES (2)");
            await other.CommitAsync();
        });

        // SQLite's deferred BEGIN would let the second one begin at once (and then sleep in the busy
        // handler at its first write); the gate holds it back before it begins.
        await beginning.Task.WaitAsync(TimeSpan.FromSeconds(10)); // the clock below starts once the second one is on its way
        Assert.NotSame(began.Task, await Task.WhenAny(began.Task, Task.Delay(Blocked)));
        switch (ending)
        {
            case "commit":
                await transaction.CommitAsync();
                break;
            case "rollback":
                await transaction.RollbackAsync();
                break;
        }

        await transaction.DisposeAsync();
        await started.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.Equal(2, waits.Count);
        Assert.True(waits.Max() >= Blocked.TotalSeconds / 2, $"waits: {string.Join(", ", waits)}");
        var rows = await a.Database.SqlQueryRaw<long>("SELECT n AS \"Value\" FROM gate_probe ORDER BY n").ToListAsync();
        Assert.Equal(ending == "commit" ? [1L, 2L] : [2L], rows);
    }

    [Fact]
    public async Task A_writer_that_waits_past_the_busy_timeout_fails_as_busy_and_the_next_one_gets_through()
    {
        _services.GetRequiredService<SqliteWriteGate>().Timeout = Blocked;
        await using var held = await HoldTheGateAsync();
        var (a, b, transaction) = (held.A, held.B, held.Transaction);
        var busy = await Assert.ThrowsAsync<Microsoft.Data.Sqlite.SqliteException>(() => b.Database.BeginTransactionAsync());
        Assert.Equal(5, busy.SqliteErrorCode); // SQLITE_BUSY: answered 503 with Retry-After, as SQLite's own timeout is
        Assert.Equal(Cassiopeia.Infrastructure.OutageKind.DatabaseUnavailable, Cassiopeia.Infrastructure.Outage.Classify(busy));

        // It never went ahead beside the holder, and the gate is whole once the holder ends.
        await transaction.CommitAsync();
        await transaction.DisposeAsync();
        await using var next = await b.Database.BeginTransactionAsync();
        await b.Database.ExecuteSqlRawAsync("INSERT INTO gate_probe (n) VALUES (2)");
        await next.CommitAsync();
        Assert.Equal([1L, 2L], await a.Database.SqlQueryRaw<long>("SELECT n AS \"Value\" FROM gate_probe ORDER BY n").ToListAsync());
    }

    /// <summary>Two contexts of their own, the first holding the gate in a transaction that has written row 1.</summary>
    private async Task<Held> HoldTheGateAsync()
    {
        var held = new Held(_services.CreateAsyncScope(), _services.CreateAsyncScope());
        held.Transaction = await held.A.Database.BeginTransactionAsync();
        await held.A.Database.ExecuteSqlRawAsync("INSERT INTO gate_probe (n) VALUES (1)");
        return held;
    }

    private sealed class Held(AsyncServiceScope first, AsyncServiceScope second) : IAsyncDisposable
    {
        public AppDbContext A { get; } = first.ServiceProvider.GetRequiredService<AppDbContext>();

        public AppDbContext B { get; } = second.ServiceProvider.GetRequiredService<AppDbContext>();

        public Microsoft.EntityFrameworkCore.Storage.IDbContextTransaction Transaction { get; set; } = null!;

        public async ValueTask DisposeAsync()
        {
            await second.DisposeAsync();
            await first.DisposeAsync();
        }
    }

    [Fact]
    public async Task Reads_outside_a_transaction_do_not_wait_for_a_writer()
    {
        await using var first = _services.CreateAsyncScope();
        await using var second = _services.CreateAsyncScope();
        var a = first.ServiceProvider.GetRequiredService<AppDbContext>();
        var b = second.ServiceProvider.GetRequiredService<AppDbContext>();

        await using var transaction = await a.Database.BeginTransactionAsync();
        await a.Database.ExecuteSqlRawAsync("INSERT INTO gate_probe (n) VALUES (7)");

        var count = await b.Database.SqlQueryRaw<long>("SELECT count(*) AS \"Value\" FROM gate_probe").SingleAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.Equal(0, count); // WAL: the reader sees the last committed state, not the open transaction
    }
}
