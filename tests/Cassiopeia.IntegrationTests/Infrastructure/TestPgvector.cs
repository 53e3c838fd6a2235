using Cassiopeia.Infrastructure.Search.Pgvector;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// The PostgreSQL with pgvector that scripts/test.sh starts (PGlite behind its socket server; the
/// connection string in CASSIOPEIA_TEST_PGVECTOR). Without it the pgvector tests fail, never skip.
/// Each caller gets its own schema, so test classes do not see each other's vectors.
/// </summary>
public static class TestPgvector
{
    public const string Variable = "CASSIOPEIA_TEST_PGVECTOR";

    public static string ConnectionString
    {
        get
        {
            var connectionString = Environment.GetEnvironmentVariable(Variable);
            return string.IsNullOrEmpty(connectionString)
                ? throw new InvalidOperationException($"{Variable} is not set: run the suite with scripts/test.sh, which starts PGlite with pgvector.")
                : connectionString;
        }
    }

    public static string NewSchema() => "test_" + Guid.NewGuid().ToString("N")[..12];

    /// <summary>Settings that select the pgvector store in a fresh schema.</summary>
    public static Dictionary<string, string?> Settings(string? schema = null) => new()
    {
        ["Search:VectorStore"] = "Pgvector",
        ["Search:Pgvector:ConnectionString"] = ConnectionString,
        ["Search:Pgvector:Schema"] = schema ?? NewSchema(),
    };

    /// <summary>The store's table in a fresh schema, created as at start.</summary>
    public static async Task<PgvectorTable> CreateTableAsync(PgvectorOptions options, string? connectionString = null)
    {
        var table = new PgvectorTable(connectionString ?? ConnectionString, Options.Create(options));
        await table.EnsureSchemaAsync(CancellationToken.None);
        return table;
    }

    /// <summary>How many vectors the store holds for a document, read straight from the table.</summary>
    public static async Task<long> CountAsync(string schema, string documentId)
    {
        await using var connection = new NpgsqlConnection(ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*) FROM \"{schema}\".chunk_vectors WHERE document_id = $1", connection);
        command.Parameters.Add(new() { Value = documentId });
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
