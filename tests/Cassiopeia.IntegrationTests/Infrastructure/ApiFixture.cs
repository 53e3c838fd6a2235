namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>One running application on one fresh database, shared by the tests of a class.</summary>
public abstract class ApiFixture(string provider) : IAsyncLifetime
{
    private TestDatabase? _database;

    public ApiFactory Factory { get; private set; } = null!;

    public string Provider => provider;

    /// <summary>Settings on top of the test defaults; fixtures that need workers or fakes override it.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> SettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        Factory = new ApiFactory(_database, await SettingsAsync());
        Factory.CreateClient().Dispose();
    }

    public virtual async Task DisposeAsync()
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
