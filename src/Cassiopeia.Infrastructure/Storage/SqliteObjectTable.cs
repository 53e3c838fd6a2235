using System.Collections.Concurrent;
using Cassiopeia.Infrastructure.Persistence;
using Microsoft.Data.Sqlite;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>
/// Small encrypted objects as rows of the embedded profile's own SQLite database instead of files
/// (<see cref="EncryptedFileBlobStore"/> decides which, by size). A file costs a create, a write, an
/// fsync and a rename: under ingestion that fsync (~2.5 ms behind the database's own writes) was the
/// largest part of an upload's time. A row is written by one short statement and made durable by
/// the database's log, which also orders it before the document row that refers to it: after a
/// crash or power cut no document survives without its object. SQLite reads and writes blobs of
/// tens of kilobytes faster than separate files (sqlite.org/fasterthanfs.html). The table belongs
/// to the blob store, not to the application's model: EF never reads it, so it is created here
/// rather than by a migration.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA1001", Justification = "The writer's semaphore is only awaited and released, never asked for a wait handle, so it holds nothing to dispose.")]
internal sealed class SqliteObjectTable(string connectionString, int maxBytes, SqliteCheckpointer? checkpointer)
{
    private const string Create = "CREATE TABLE IF NOT EXISTS blob_objects (key TEXT NOT NULL PRIMARY KEY, data BLOB NOT NULL)";
    private const int MaxBatch = 64;
    private readonly ConcurrentQueue<Put> _queue = new();
    private readonly SemaphoreSlim _writer = new(1, 1);
    private volatile bool _created;

    /// <summary>The largest content (plaintext bytes) kept as a row; anything longer is a file.</summary>
    public int MaxBytes => maxBytes;

    /// <summary>
    /// Stores (or replaces) the sealed bytes of <paramref name="key"/>. Puts that arrive together share
    /// one transaction: the first to take the writer's turn writes every put queued by then, so the
    /// uploads of this process queue here, asynchronously, rather than each waiting for SQLite's write
    /// lock on a thread of its own (which, under a mixed load past saturation, starved the thread pool).
    /// Not cancellable once queued: a put is short, and one that completed after its caller gave up would
    /// leave a row no one deletes.
    /// </summary>
    public async Task PutAsync(string key, byte[] data, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        var put = new Put(key, data);
        _queue.Enqueue(put);
        await _writer.WaitAsync(CancellationToken.None);
        try
        {
            while (!put.Done.Task.IsCompleted)
            {
                await WriteQueuedAsync();
            }
        }
        finally
        {
            _writer.Release();
        }

        await put.Done.Task;
    }

    /// <summary>The sealed bytes of <paramref name="key"/>, or null when it is not a row.</summary>
    public async Task<byte[]?> GetAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT data FROM blob_objects WHERE key = $key";
        command.Parameters.AddWithValue("$key", key);
        return await command.ExecuteScalarAsync(ct) as byte[];
    }

    /// <summary>Removes the row of <paramref name="key"/>; false when there was none (then without taking the write lock).</summary>
    public async Task<bool> DeleteAsync(string key, CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using (var exists = connection.CreateCommand())
        {
            exists.CommandText = "SELECT 1 FROM blob_objects WHERE key = $key";
            exists.Parameters.AddWithValue("$key", key);
            if (await exists.ExecuteScalarAsync(ct) is null)
            {
                return false;
            }
        }

        await using var delete = connection.CreateCommand();
        delete.CommandText = "DELETE FROM blob_objects WHERE key = $key";
        delete.Parameters.AddWithValue("$key", key);
        var deleted = await delete.ExecuteNonQueryAsync(ct) > 0;
        if (deleted)
        {
            SqliteBusyWait.Committed(checkpointer);
        }

        return deleted;
    }

    /// <summary>Every key kept as a row.</summary>
    public async Task<List<string>> KeysAsync(CancellationToken ct)
    {
        await using var connection = await OpenAsync(ct);
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT key FROM blob_objects ORDER BY key";
        var keys = new List<string>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            keys.Add(reader.GetString(0));
        }

        return keys;
    }

    /// <summary>Up to <see cref="MaxBatch"/> queued puts in one transaction; each learns the outcome.</summary>
    private async Task WriteQueuedAsync()
    {
        var batch = new List<Put>(Math.Min(_queue.Count, MaxBatch));
        while (batch.Count < MaxBatch && _queue.TryDequeue(out var next))
        {
            batch.Add(next);
        }

        try
        {
            await using var connection = await OpenAsync(CancellationToken.None);
            await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(CancellationToken.None);
            await using var command = connection.CreateCommand();
            command.Transaction = transaction;
            command.CommandText = "INSERT INTO blob_objects (key, data) VALUES ($key, $data) ON CONFLICT (key) DO UPDATE SET data = excluded.data";
            var key = command.Parameters.Add("$key", SqliteType.Text);
            var data = command.Parameters.Add("$data", SqliteType.Blob);
            foreach (var put in batch)
            {
                key.Value = put.Key;
                data.Value = put.Data;
                await command.ExecuteNonQueryAsync(CancellationToken.None);
            }

            await transaction.CommitAsync(CancellationToken.None);
            SqliteBusyWait.Committed(checkpointer);
            batch.ForEach(p => p.Done.TrySetResult());
        }
        catch (Exception e)
        {
            SqliteBusyWait.WriterFinished(); // rolled back: the lock is free again
            batch.ForEach(p => p.Done.TrySetException(e));
        }
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken ct)
    {
        var connection = new SqliteConnection(connectionString);
        try
        {
            await connection.OpenAsync(ct);
            await SqliteConnectionTuning.ApplyAsync(connection, ct);
            if (!_created)
            {
                await using var command = connection.CreateCommand();
                command.CommandText = Create;
                await command.ExecuteNonQueryAsync(ct);
                _created = true;
            }

            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }

    private sealed record Put(string Key, byte[] Data)
    {
        public TaskCompletionSource Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
