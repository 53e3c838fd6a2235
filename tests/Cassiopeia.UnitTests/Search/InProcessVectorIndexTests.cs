using System.Runtime.InteropServices;
using Cassiopeia.Core.Data;
using Cassiopeia.Infrastructure.Persistence;
using Cassiopeia.Infrastructure.Search;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cassiopeia.UnitTests.Search;

/// <summary>The index against a real SQLite file: the database is the truth, snapshots only a head start.</summary>
public sealed class InProcessVectorIndexTests : IAsyncLifetime
{
    private const string Organization = "org-a";
    private const string Model = "test:v1-16";
    private const int Dimensions = 16;
    private readonly string _data = Directory.CreateTempSubdirectory("cassiopeia-vindex-").FullName;
    private readonly float[][] _vectors = RandomVectors.Create(1_500, Dimensions, seed: 21);
    private ServiceProvider _services = null!;

    public async Task InitializeAsync()
    {
        _services = Services();
        await DatabaseMigrator.MigrateAsync(_services, CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        SqliteConnection.ClearAllPools();
        Directory.Delete(_data, recursive: true);
    }

    [Fact]
    public async Task Small_organization_is_searched_exactly_and_deleted_chunks_are_never_returned()
    {
        await InsertAsync(0, 100);
        using var index = Index();
        Assert.Equal("c42", (await SearchAsync(index, _vectors[42]))[0].ChunkId);

        await ExecuteAsync("DELETE FROM chunks WHERE DocumentId = 'd2'");
        var hits = await SearchAsync(index, _vectors[42], topK: 100);
        Assert.Equal(80, hits.Count);
        Assert.DoesNotContain(hits, h => h.DocumentId == "d2");
        Assert.False(index.Peek(Organization, Model)!.IsApproximate);
    }

    [Fact]
    public async Task Stale_snapshot_after_a_restart_gets_the_delta_new_chunks_found_deleted_ones_gone()
    {
        await InsertAsync(0, 1_000);
        using (var first = Index())
        {
            await SearchAsync(first, _vectors[0]);
            await WaitForGraphAsync(first);
        }

        var snapshot = Assert.Single(Directory.GetFiles(Path.Combine(_data, "indexes")));
        Assert.Equal("snapshot", VectorSnapshotFile.TryLoad(snapshot, Organization, Model).Reason);
        // While "down": documents 0 and 1 deleted, 500 chunks added.
        await ExecuteAsync("DELETE FROM chunks WHERE DocumentId IN ('d0', 'd1')");
        await InsertAsync(1_000, 1_500);

        using var second = Index();
        Assert.Equal("c1234", (await SearchAsync(second, _vectors[1_234]))[0].ChunkId);
        var collection = second.Peek(Organization, Model)!;
        Assert.True(collection.IsApproximate, "loaded from the snapshot, not rebuilt");
        Assert.Equal(1_460, collection.LiveCount);
        foreach (var query in _vectors.Take(40))
        {
            Assert.DoesNotContain(await SearchAsync(second, query, topK: 50), h => h.DocumentId is "d0" or "d1");
        }

        Assert.True(File.Exists(snapshot));
    }

    [Fact]
    public async Task Corrupt_snapshot_is_rebuilt_from_the_database()
    {
        await InsertAsync(0, 1_000);
        using (var first = Index())
        {
            await SearchAsync(first, _vectors[0]);
            await WaitForGraphAsync(first);
        }

        var snapshot = Assert.Single(Directory.GetFiles(Path.Combine(_data, "indexes")));
        var bytes = await File.ReadAllBytesAsync(snapshot);
        bytes[bytes.Length / 2] ^= 0xFF;
        await File.WriteAllBytesAsync(snapshot, bytes);

        using var second = Index();
        Assert.Equal("c777", (await SearchAsync(second, _vectors[777]))[0].ChunkId);
        Assert.Equal(1_000, second.Peek(Organization, Model)!.LiveCount);
        await WaitForGraphAsync(second);
        Assert.NotNull(VectorSnapshotFile.TryLoad(snapshot, Organization, Model).Collection);
    }

    [Fact]
    public async Task Snapshot_graph_of_another_shape_keeps_its_rows_and_is_rebuilt_with_the_configured_one()
    {
        await InsertAsync(0, 1_000);
        using (var first = Index())
        {
            await SearchAsync(first, _vectors[0]);
            await WaitForGraphAsync(first);
            Assert.Equal(new SearchOptions().M, first.Peek(Organization, Model)!.GraphParameters!.M);
        }

        using var second = Index(new SearchOptions { ApproximateAbove = 500, M = 8, EfConstruction = 40 });
        Assert.Equal("c321", (await SearchAsync(second, _vectors[321]))[0].ChunkId);
        await WaitForGraphAsync(second);
        var rebuilt = second.Peek(Organization, Model)!;
        Assert.Equal((8, 40), (rebuilt.GraphParameters!.M, rebuilt.GraphParameters.EfConstruction));
        Assert.Equal(1_000, rebuilt.LiveCount);
        Assert.Equal("c999", (await SearchAsync(second, _vectors[999]))[0].ChunkId);
    }

    private ServiceProvider Services() => new ServiceCollection()
        .AddLogging()
        .AddScoped<TenantContext>()
        .AddPersistence(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = "Sqlite",
            ["Cassiopeia:DataDirectory"] = _data,
        }).Build())
        .AddSingleton<IConfiguration>(new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Cassiopeia:DataDirectory"] = _data,
            ["Search:ApproximateAbove"] = "500",
        }).Build())
        .BuildServiceProvider();

    private InProcessVectorIndex Index(SearchOptions? options = null) => options is null
        ? ActivatorUtilities.CreateInstance<InProcessVectorIndex>(_services)
        : ActivatorUtilities.CreateInstance<InProcessVectorIndex>(_services, Options.Create(options));

    private static async Task<IReadOnlyList<Core.Search.IndexHit>> SearchAsync(InProcessVectorIndex index, float[] query, int topK = 10) =>
        await index.SearchAsync(Organization, Model, query, topK, null, CancellationToken.None);

    private static async Task WaitForGraphAsync(InProcessVectorIndex index)
    {
        for (var i = 0; i < 200 && index.Peek(Organization, Model) is not { IsApproximate: true }; i++)
        {
            await Task.Delay(25);
        }

        // The snapshot is written before the swap.
        Assert.True(index.Peek(Organization, Model)!.IsApproximate);
    }

    private async Task InsertAsync(int from, int to)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "cassiopeia.db")};Foreign Keys=False");
        await connection.OpenAsync();
        await using var transaction = connection.BeginTransaction();
        await using var insert = connection.CreateCommand();
        insert.CommandText = """
            INSERT INTO chunks (Id, OrganizationId, DocumentId, Ordinal, Text, HeadingPath, TokenCount, Suspect, ContentHash, ModelId, Dimensions, Vector)
            VALUES ($id, $org, $doc, $ordinal, 'text', '', 1, 0, $id, $model, $dims, $vector)
            """;
        foreach (var name in new[] { "$id", "$org", "$doc", "$ordinal", "$model", "$dims", "$vector" })
        {
            insert.Parameters.Add(new SqliteParameter { ParameterName = name });
        }

        for (var i = from; i < to; i++)
        {
            insert.Parameters["$id"].Value = $"c{i}";
            insert.Parameters["$org"].Value = Organization;
            insert.Parameters["$doc"].Value = $"d{i / 20}";
            insert.Parameters["$ordinal"].Value = i % 20;
            insert.Parameters["$model"].Value = Model;
            insert.Parameters["$dims"].Value = Dimensions;
            insert.Parameters["$vector"].Value = MemoryMarshal.AsBytes(_vectors[i].AsSpan()).ToArray();
            await insert.ExecuteNonQueryAsync();
        }

        await transaction.CommitAsync();
    }

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(_data, "cassiopeia.db")};Foreign Keys=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync();
    }
}
