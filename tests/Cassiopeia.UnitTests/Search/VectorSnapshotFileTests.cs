using Cassiopeia.Infrastructure.Search;
using Cassiopeia.Infrastructure.Search.Hnsw;

namespace Cassiopeia.UnitTests.Search;

public sealed class VectorSnapshotFileTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("cassiopeia-vidx-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Round_trip_keeps_rows_tombstones_graph_and_answers(int buildThreads)
    {
        var vectors = RandomVectors.Create(2_000, 24, seed: 1);
        var collection = HnswGraphTests.Collection(vectors).BuildApproximate(new HnswParameters { M = 12, EfConstruction = 80, BuildThreads = buildThreads }, CancellationToken.None).Built;
        collection.DeleteMissing(Enumerable.Range(1, 2_000).Where(s => s % 10 != 0).Select(s => (long)s).ToHashSet());
        collection.OrganizationCount = 1_800;
        var path = VectorSnapshotFile.PathFor(_directory, "org-1", "test-model");

        VectorSnapshotFile.Save(path, "org-1", collection);
        var (loaded, reason) = VectorSnapshotFile.TryLoad(path, "org-1", "test-model");

        Assert.Equal("snapshot", reason);
        Assert.NotNull(loaded);
        Assert.True(loaded.IsApproximate);
        Assert.Equal((12, 80), (loaded.GraphParameters!.M, loaded.GraphParameters.EfConstruction));
        Assert.Equal((collection.Count, collection.LiveCount, collection.CoveredSeq), (loaded.Count, loaded.LiveCount, loaded.CoveredSeq));
        foreach (var query in vectors.Take(50))
        {
            Assert.Equal(collection.Search(query, 10, 64, null), loaded.Search(query, 10, 64, null));
        }

        Assert.Empty(Directory.GetFiles(_directory, "*.tmp"));
    }

    [Fact]
    public void Damaged_truncated_or_foreign_files_are_refused()
    {
        var collection = HnswGraphTests.Collection(RandomVectors.Create(500, 8, seed: 2)).BuildApproximate(new HnswParameters(), CancellationToken.None).Built;
        var path = VectorSnapshotFile.PathFor(_directory, "org-1", "test-model");
        VectorSnapshotFile.Save(path, "org-1", collection);
        var good = File.ReadAllBytes(path);

        Assert.Null(VectorSnapshotFile.TryLoad(path, "org-2", "test-model").Collection);

        foreach (var at in new[] { 30, good.Length / 2, good.Length - 3 })
        {
            var bad = (byte[])good.Clone();
            bad[at] ^= 0x40;
            File.WriteAllBytes(path, bad);
            Assert.Null(VectorSnapshotFile.TryLoad(path, "org-1", "test-model").Collection);
        }

        File.WriteAllBytes(path, good[..(good.Length / 3)]);
        Assert.Null(VectorSnapshotFile.TryLoad(path, "org-1", "test-model").Collection);
        File.WriteAllBytes(path, []);
        Assert.Null(VectorSnapshotFile.TryLoad(path, "org-1", "test-model").Collection);
    }
}
