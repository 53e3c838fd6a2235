namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>One running application on one fresh database, shared by the tests of a class.</summary>
public abstract class ApiFixture(string provider) : IAsyncLifetime
{
    private TestDatabase? _database;

    public ApiFactory Factory { get; private set; } = null!;

    public string Provider => provider;

    /// <summary>Settings on top of the test defaults; fixtures that need workers or fakes override it.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> SettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>Every object the blob store holds (file paths or bucket keys), for tests that check nothing was left behind.</summary>
    public virtual Task<string[]> StoredObjectsAsync()
    {
        var root = Path.Combine(Factory.Database.DataDirectory, "blobs");
        return Task.FromResult(Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : []);
    }

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

/// <summary>The scale-out storage profile: PostgreSQL and an S3 bucket on the test S3 server.</summary>
public sealed class PostgresS3Fixture() : ApiFixture("Postgres")
{
    public TestS3 S3 { get; private set; } = null!;

    public override Task<string[]> StoredObjectsAsync() => S3.KeysAsync();

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        S3 = await TestS3.CreateAsync(prefix: "docs/");
        return S3.Settings;
    }
}
