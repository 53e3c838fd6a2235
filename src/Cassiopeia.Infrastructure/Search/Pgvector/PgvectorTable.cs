using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Cassiopeia.Core.Search;
using Microsoft.Extensions.Options;
using Npgsql;
using Pgvector;
using Pgvector.Npgsql;

namespace Cassiopeia.Infrastructure.Search.Pgvector;

/// <summary>One chunk's vector as the store keeps it, keyed like the chunk by (organization, seq).</summary>
public sealed record VectorRow(long Seq, string ChunkId, string DocumentId, string ModelId, int Dimensions, float[] Vector);

/// <summary>
/// The <c>chunk_vectors</c> table and its SQL. Vectors of every model share one untyped <c>vector</c>
/// column; each (model, dimensions) gets its own partial HNSW index over the column cast to its width,
/// since an HNSW index needs a fixed dimension. Statements never span a transaction, so a pooler or a
/// single-session server (PGlite in the tests) serves them as well as a real PostgreSQL.
/// </summary>
public sealed class PgvectorTable : IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly PgvectorOptions _options;
    private readonly string _table;
    private readonly ConcurrentDictionary<(string Model, int Dimensions), bool> _indexes = new();
    private readonly SemaphoreSlim _indexLock = new(1, 1);

    public PgvectorTable(string connectionString, IOptions<PgvectorOptions> options)
    {
        _options = options.Value;
        var builder = new NpgsqlDataSourceBuilder(connectionString);
        builder.UseVector();
        _source = builder.Build();
        _table = $"\"{_options.Schema}\".chunk_vectors";
    }

    /// <summary>Creates the extension, schema, table and organization indexes when missing; fails clearly when pgvector is not installed.</summary>
    public async Task EnsureSchemaAsync(CancellationToken ct)
    {
        await using var connection = await _source.OpenConnectionAsync(ct);
        try
        {
            await Execute(connection, "CREATE EXTENSION IF NOT EXISTS vector", ct);
        }
        catch (PostgresException e)
        {
            throw new InvalidOperationException(
                $"Search:VectorStore is Pgvector but the database cannot create the 'vector' extension ({e.SqlState}: {e.MessageText}). " +
                "Install pgvector on the server (postgresql-16-pgvector from the PGDG apt repository; built into Aurora and RDS) " +
                "or run CREATE EXTENSION vector as its owner. See docs/deployment.md.", e);
        }

        // The connection learned its types before the extension existed on a fresh database.
        await connection.ReloadTypesAsync(ct);
        await Execute(connection, $"CREATE SCHEMA IF NOT EXISTS \"{_options.Schema}\"", ct);
        await Execute(connection, $"""
            CREATE TABLE IF NOT EXISTS {_table} (
                organization_id text NOT NULL,
                seq bigint NOT NULL,
                chunk_id text NOT NULL,
                document_id text NOT NULL,
                model_id text NOT NULL,
                dimensions integer NOT NULL,
                embedding vector NOT NULL,
                PRIMARY KEY (organization_id, seq))
            """, ct);
        await Execute(connection, $"CREATE INDEX IF NOT EXISTS chunk_vectors_document ON {_table} (organization_id, document_id)", ct);
        _source.Clear();
    }

    /// <summary>One statement on the table (for readiness): throws when the server or the table is not there.</summary>
    public async Task ProbeAsync(CancellationToken ct)
    {
        await using var command = _source.CreateCommand($"SELECT 1 FROM {_table} LIMIT 1");
        await command.ExecuteScalarAsync(ct);
    }

    /// <summary>The organization's highest key and row count, as this store holds them.</summary>
    public async Task<(long MaxSeq, int Count)> StatsAsync(string organizationId, CancellationToken ct)
    {
        await using var command = _source.CreateCommand($"SELECT coalesce(max(seq), 0), count(*)::int FROM {_table} WHERE organization_id = $1");
        command.Parameters.Add(new() { Value = organizationId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return (reader.GetInt64(0), reader.GetInt32(1));
    }

    public async Task<HashSet<long>> SeqsAsync(string organizationId, CancellationToken ct)
    {
        await using var command = _source.CreateCommand($"SELECT seq FROM {_table} WHERE organization_id = $1");
        command.Parameters.Add(new() { Value = organizationId });
        await using var reader = await command.ExecuteReaderAsync(ct);
        var seqs = new HashSet<long>();
        while (await reader.ReadAsync(ct))
        {
            seqs.Add(reader.GetInt64(0));
        }

        return seqs;
    }

    /// <summary>
    /// Adds rows; a key already present (another node got there first) is left as it is. Without
    /// <paramref name="indexFirst"/> a missing HNSW index is left for <see cref="EnsureIndexAsync"/>
    /// after a bulk load: pgvector builds a graph over rows already there several times faster than
    /// it inserts them one by one.
    /// </summary>
    public async Task InsertAsync(string organizationId, IReadOnlyList<VectorRow> rows, bool indexFirst, CancellationToken ct)
    {
        if (rows.Count == 0)
        {
            return;
        }

        foreach (var shape in rows.Select(r => (r.ModelId, r.Dimensions)).Distinct().Where(_ => indexFirst))
        {
            await EnsureIndexAsync(shape.ModelId, shape.Dimensions, ct);
        }

        await using var batch = _source.CreateBatch();
        foreach (var row in rows)
        {
            var command = new NpgsqlBatchCommand($"""
                INSERT INTO {_table} (organization_id, seq, chunk_id, document_id, model_id, dimensions, embedding)
                VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING
                """);
            command.Parameters.Add(new() { Value = organizationId });
            command.Parameters.Add(new() { Value = row.Seq });
            command.Parameters.Add(new() { Value = row.ChunkId });
            command.Parameters.Add(new() { Value = row.DocumentId });
            command.Parameters.Add(new() { Value = row.ModelId });
            command.Parameters.Add(new() { Value = row.Dimensions });
            command.Parameters.Add(new() { Value = new Vector(row.Vector) });
            batch.BatchCommands.Add(command);
        }

        await batch.ExecuteNonQueryAsync(ct);
    }

    public async Task<int> DeleteAsync(string organizationId, IReadOnlyCollection<long> seqs, CancellationToken ct)
    {
        await using var command = _source.CreateCommand($"DELETE FROM {_table} WHERE organization_id = $1 AND seq = ANY($2)");
        command.Parameters.Add(new() { Value = organizationId });
        command.Parameters.Add(new() { Value = seqs.ToArray() });
        return await command.ExecuteNonQueryAsync(ct);
    }

    public async Task DeleteDocumentAsync(string organizationId, string documentId, CancellationToken ct)
    {
        await using var command = _source.CreateCommand($"DELETE FROM {_table} WHERE organization_id = $1 AND document_id = $2");
        command.Parameters.Add(new() { Value = organizationId });
        command.Parameters.Add(new() { Value = documentId });
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>
    /// The nearest rows of one organization and model. <paramref name="exact"/> sorts every candidate
    /// row by distance (the sort key is not the indexed expression, so the HNSW index cannot be chosen);
    /// otherwise the HNSW index answers with an iterative scan, which keeps walking until
    /// <paramref name="topK"/> rows of the organization are found (in relaxed order, so they are re-sorted here).
    /// </summary>
    public async Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string modelId, ReadOnlyMemory<float> query, int topK, IReadOnlyCollection<string>? documentIds, bool exact, CancellationToken ct)
    {
        var dimensions = query.Length.ToString(CultureInfo.InvariantCulture);
        var distance = $"embedding::vector({dimensions}) <=> $1::vector({dimensions})";
        var order = exact ? $"({distance}) + 0" : distance;
        var documents = documentIds is null ? "" : "AND document_id = ANY($4)";
        await using var batch = _source.CreateBatch();
        if (!exact)
        {
            var ef = Math.Clamp(Math.Max(_options.EfSearch, topK), 1, 1000);
            batch.BatchCommands.Add(new($"SET hnsw.ef_search = {ef.ToString(CultureInfo.InvariantCulture)}"));
            batch.BatchCommands.Add(new("SET hnsw.iterative_scan = relaxed_order"));
            batch.BatchCommands.Add(new($"SET hnsw.max_scan_tuples = {_options.MaxScanTuples.ToString(CultureInfo.InvariantCulture)}"));
        }

        // The model is a literal, not a parameter, so the planner can match the partial index's predicate.
        var select = new NpgsqlBatchCommand($"""
            SELECT chunk_id, document_id, ({distance})::float8
            FROM {_table}
            WHERE organization_id = $2 AND model_id = {Literal(modelId)} AND dimensions = {dimensions} {documents}
            ORDER BY {order}
            LIMIT $3
            """);
        select.Parameters.Add(new() { Value = new Vector(query) });
        select.Parameters.Add(new() { Value = organizationId });
        select.Parameters.Add(new() { Value = topK });
        if (documentIds is not null)
        {
            select.Parameters.Add(new() { Value = documentIds.ToArray() });
        }

        batch.BatchCommands.Add(select);
        await using var reader = await batch.ExecuteReaderAsync(ct);
        while (reader.FieldCount == 0 && await reader.NextResultAsync(ct))
        {
        }

        var hits = new List<IndexHit>(topK);
        while (await reader.ReadAsync(ct))
        {
            hits.Add(new IndexHit(reader.GetString(0), reader.GetString(1), 1 - reader.GetDouble(2)));
        }

        hits.Sort((a, b) => b.Score.CompareTo(a.Score) is var c && c != 0 ? c : string.CompareOrdinal(a.ChunkId, b.ChunkId));
        return hits;
    }

    public async ValueTask DisposeAsync()
    {
        _indexLock.Dispose();
        await _source.DisposeAsync();
    }

    /// <summary>One partial HNSW index per (model, dimensions), created the first time such a row is written.</summary>
    public async Task EnsureIndexAsync(string modelId, int dimensions, CancellationToken ct)
    {
        if (_indexes.ContainsKey((modelId, dimensions)))
        {
            return;
        }

        // One creation at a time: two sessions racing on CREATE INDEX IF NOT EXISTS can both try to create it.
        await _indexLock.WaitAsync(ct);
        try
        {
            await CreateIndexAsync(modelId, dimensions, ct);
            _indexes.TryAdd((modelId, dimensions), true);
        }
        finally
        {
            _indexLock.Release();
        }
    }

    private async Task CreateIndexAsync(string modelId, int dimensions, CancellationToken ct)
    {
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{modelId}/{dimensions}")))[..16];
        var width = dimensions.ToString(CultureInfo.InvariantCulture);
        await using var connection = await _source.OpenConnectionAsync(ct);
        await Execute(connection, $"""
            CREATE INDEX IF NOT EXISTS chunk_vectors_hnsw_{hash} ON {_table}
            USING hnsw ((embedding::vector({width})) vector_cosine_ops)
            WITH (m = {_options.M.ToString(CultureInfo.InvariantCulture)}, ef_construction = {_options.EfConstruction.ToString(CultureInfo.InvariantCulture)})
            WHERE model_id = {Literal(modelId)} AND dimensions = {width}
            """, ct);
    }

    private static string Literal(string value) => $"'{value.Replace("'", "''", StringComparison.Ordinal)}'";

    private static async Task Execute(NpgsqlConnection connection, string sql, CancellationToken ct)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(ct);
    }
}
