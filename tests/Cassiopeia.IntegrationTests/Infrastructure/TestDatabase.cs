using Npgsql;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// A database for one test fixture: a fresh SQLite file, or a fresh database on the PostgreSQL
/// server that scripts/test.sh starts (its connection string in CASSIOPEIA_TEST_POSTGRES).
/// </summary>
public sealed class TestDatabase : IAsyncDisposable
{
    public const string PostgresVariable = "CASSIOPEIA_TEST_POSTGRES";

    private readonly string? _adminConnectionString;
    private readonly string? _databaseName;

    private TestDatabase(string provider, string dataDirectory, string? connectionString, string? adminConnectionString, string? databaseName)
    {
        Provider = provider;
        DataDirectory = dataDirectory;
        ConnectionString = connectionString;
        _adminConnectionString = adminConnectionString;
        _databaseName = databaseName;
    }

    public string Provider { get; }

    public string DataDirectory { get; }

    public string? ConnectionString { get; }

    public static async Task<TestDatabase> CreateAsync(string provider)
    {
        var dataDirectory = Directory.CreateTempSubdirectory("cassiopeia-test-").FullName;
        if (provider == "Sqlite")
        {
            return new TestDatabase(provider, dataDirectory, null, null, null);
        }

        // Never a silent skip: without the server the PostgreSQL half of the suite fails loudly.
        var admin = Environment.GetEnvironmentVariable(PostgresVariable);
        if (string.IsNullOrEmpty(admin))
        {
            throw new InvalidOperationException($"{PostgresVariable} is not set: run the suite with scripts/test.sh, which starts PostgreSQL.");
        }

        var name = "cassiopeia_test_" + Guid.NewGuid().ToString("N")[..12];
        await using (var connection = new NpgsqlConnection(admin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE {name}", connection);
            await command.ExecuteNonQueryAsync();
        }

        var connectionString = new NpgsqlConnectionStringBuilder(admin) { Database = name }.ToString();
        return new TestDatabase(provider, dataDirectory, connectionString, admin, name);
    }

    public async ValueTask DisposeAsync()
    {
        if (_adminConnectionString is not null)
        {
            NpgsqlConnection.ClearAllPools();
            await using var connection = new NpgsqlConnection(_adminConnectionString);
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"DROP DATABASE IF EXISTS {_databaseName} WITH (FORCE)", connection);
            await command.ExecuteNonQueryAsync();
        }

        try
        {
            Directory.Delete(DataDirectory, recursive: true);
        }
        catch (IOException)
        {
            // A file still open by a pooled SQLite connection; the OS temp cleaner takes it.
        }
    }
}
