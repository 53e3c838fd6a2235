using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// One running application on one fresh database, shared by the tests of a class, in one of the two
/// deployment profiles: <c>Sqlite</c> is the embedded profile (SQLite file, encrypted files on local
/// disk, in-process rate limits and events); <c>Postgres</c> is the scale-out profile (PostgreSQL, a
/// fresh S3 bucket on the test S3 server, Redis under a fresh key prefix). The test classes are written
/// once and run on both, with the same expectations.
/// </summary>
public abstract class ApiFixture(string provider, bool localStorage = false) : IAsyncLifetime
{
    private TestDatabase? _database;

    public ApiFactory Factory { get; private set; } = null!;

    public string Provider => provider;

    /// <summary>The bucket of the scale-out profile; null in the embedded profile and with local storage.</summary>
    public TestS3? S3 { get; private set; }

    /// <summary>Settings on top of the profile and the test defaults; fixtures that need workers or fakes override it.</summary>
    protected virtual Task<IReadOnlyDictionary<string, string?>> SettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>());

    /// <summary>
    /// Every object the blob store holds (file paths, keys of the objects kept as database rows, or bucket
    /// keys), for tests that check nothing was left behind.
    /// </summary>
    public async Task<string[]> StoredObjectsAsync()
    {
        if (S3 is not null)
        {
            return await S3.KeysAsync();
        }

        var root = Path.Combine(Factory.Database.DataDirectory, "blobs");
        string[] files = Directory.Exists(root) ? Directory.GetFiles(root, "*", SearchOption.AllDirectories) : [];
        var rows = Factory.Services.GetService<Cassiopeia.Infrastructure.Persistence.SqliteDatabase>() is { } database
            ? await new Cassiopeia.Infrastructure.Storage.SqliteObjectTable(database.ConnectionString, 1, checkpointer: null).KeysAsync(default)
            : [];
        return [.. files, .. rows];
    }

    public async Task InitializeAsync()
    {
        _database = await TestDatabase.CreateAsync(provider);
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (provider == "Postgres")
        {
            foreach (var (key, value) in TestRedis.Settings())
            {
                settings[key] = value;
            }

            if (!localStorage)
            {
                S3 = await TestS3.CreateAsync(prefix: "docs/");
                foreach (var (key, value) in S3.Settings)
                {
                    settings[key] = value;
                }
            }
        }

        foreach (var (key, value) in await SettingsAsync())
        {
            settings[key] = value;
        }

        Factory = new ApiFactory(_database, settings);
        Factory.CreateClient().Dispose();
    }

    public virtual async Task DisposeAsync()
    {
        // Null when the set-up failed: the set-up's own error is the one to report.
        if ((ApiFactory?)Factory is { } factory)
        {
            await factory.DisposeAsync();
        }

        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }
}

public sealed class SqliteFixture() : ApiFixture("Sqlite");

public sealed class PostgresFixture() : ApiFixture("Postgres");

/// <summary>
/// The scale-out profile with the embedded profile's local store, for the tests of that store's own
/// links (direct upload through the service, the sweep of partial files); S3 has tests of its own.
/// </summary>
public sealed class PostgresLocalStorageFixture() : ApiFixture("Postgres", localStorage: true);
