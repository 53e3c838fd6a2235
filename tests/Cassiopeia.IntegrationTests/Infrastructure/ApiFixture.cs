namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>One running application on one fresh database, shared by the tests of a class.</summary>
public abstract class ApiFixture(string provider) : IAsyncLifetime
{
    private TestDatabase? _database;

    public ApiFactory Factory { get; private set; } = null!;

    public string Provider => provider;

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        Factory = new ApiFactory(_database);
        Factory.CreateClient().Dispose();
    }

    public async Task DisposeAsync()
    {
        await Factory.DisposeAsync();
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class SqliteFixture() : ApiFixture("Sqlite");

public sealed class PostgresFixture() : ApiFixture("Postgres");
