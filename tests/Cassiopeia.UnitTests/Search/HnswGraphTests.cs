using Cassiopeia.Infrastructure.Search;
using Cassiopeia.Infrastructure.Search.Hnsw;

namespace Cassiopeia.UnitTests.Search;

public sealed class HnswGraphTests
{
    private const int Dimensions = 64;
    private const int Clusters = 200;
    private const float Spread = 0.15f;
    private static readonly float[][] Centres = RandomVectors.Create(Clusters, Dimensions, seed: 8);

    /// <summary>Shared by the tests: building it is the slow part.</summary>
    private static readonly Lazy<VectorCollection> TenThousand = new(() =>
    {
        var collection = Collection(RandomVectors.Clustered(10_000, Dimensions, Clusters, Spread, seed: 7));
        return collection.BuildApproximate(new HnswParameters(), CancellationToken.None).Built;
    });

    [Fact]
    public void Recall_at_10_against_exact_search_is_at_least_0_95_on_10k_clustered_unit_vectors()
    {
        var collection = TenThousand.Value;
        var random = new Random(11);
        double found = 0;
        const int Queries = 200;
        for (var q = 0; q < Queries; q++)
        {
            var query = RandomVectors.Near(random, Centres[random.Next(Clusters)], Spread);
            var exact = collection.SearchExact(query, 10).Select(h => h.ChunkId).ToHashSet();
            found += collection.Search(query, 10, efSearch: 96, documentIds: null).Count(h => exact.Contains(h.ChunkId));
        }

        var recall = found / (Queries * 10);
        Assert.True(recall >= 0.95, $"recall@10 {recall:F3}");
    }

    [Fact]
    public void Same_seed_and_inserts_build_the_same_graph()
    {
        var vectors = RandomVectors.Create(2_000, 16, seed: 3);
        var a = Collection(vectors).BuildApproximate(new HnswParameters { Seed = 42 }, CancellationToken.None).Built;
        var b = Collection(vectors).BuildApproximate(new HnswParameters { Seed = 42 }, CancellationToken.None).Built;
        Assert.Equal(Bytes(a), Bytes(b));
    }

    [Fact]
    public void Tombstoned_rows_are_never_returned_and_reingested_chunks_replace_their_old_row()
    {
        var vectors = RandomVectors.Create(3_000, 32, seed: 5);
        var collection = Collection(vectors).BuildApproximate(new HnswParameters(), CancellationToken.None).Built;
        var present = Enumerable.Range(0, 3_000).Where(i => i % 3 != 0).Select(i => (long)i + 1).ToHashSet();
        Assert.Equal(1_000, collection.DeleteMissing(present));
        // Chunk 1 (key 2) is re-ingested under a new key with another vector.
        collection.Add(10_000, "c1", "d0", vectors[0]);

        foreach (var query in vectors.Take(200))
        {
            var hits = collection.Search(query, 10, 96, null);
            Assert.Equal(10, hits.Length);
            Assert.All(hits, h => Assert.NotEqual(0, int.Parse(h.ChunkId[1..], System.Globalization.CultureInfo.InvariantCulture) % 3));
            Assert.Equal(hits.Length, hits.Select(h => h.ChunkId).Distinct().Count());
        }

        Assert.Equal("c1", collection.Search(vectors[0], 1, 96, null)[0].ChunkId);
        Assert.Equal(2_000, collection.LiveCount);
    }

    [Fact]
    public void Document_filter_returns_only_allowed_documents_by_graph_or_by_exact_scan()
    {
        var collection = TenThousand.Value;
        var random = new Random(13);
        // One document per 20 rows: 5 documents take the exact path, 200 (40%) the filtered graph walk.
        foreach (var documents in new[] { 5, 200 })
        {
            var allowed = Enumerable.Range(0, documents).Select(d => $"d{d * 2}").ToHashSet(StringComparer.Ordinal);
            double found = 0;
            for (var q = 0; q < 50; q++)
            {
                var query = RandomVectors.Near(random, Centres[random.Next(Clusters)], Spread);
                var hits = collection.Search(query, 10, 96, allowed);
                Assert.Equal(10, hits.Length);
                Assert.All(hits, h => Assert.Contains(h.DocumentId, allowed));
                var exact = collection.SearchExact(query, 20_000).Where(h => allowed.Contains(h.DocumentId)).Take(10).Select(h => h.ChunkId).ToHashSet();
                found += hits.Count(h => exact.Contains(h.ChunkId));
            }

            Assert.True(found / 500 >= 0.95, $"filtered recall@10 with {documents} documents: {found / 500:F3}");
        }
    }

    [Fact]
    public async Task Searches_run_concurrently_with_a_writer()
    {
        var vectors = RandomVectors.Create(6_000, 32, seed: 9);
        var collection = Collection(vectors[..3_000]).BuildApproximate(new HnswParameters(), CancellationToken.None).Built;
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 4).Select(r => Task.Run(() =>
        {
            var searches = 0;
            while (!stop.IsCancellationRequested || searches < 50)
            {
                Assert.Equal(10, collection.Search(vectors[(searches * 7 + r) % 3_000], 10, 64, null).Length);
                searches++;
            }
        })).ToArray();
        for (var i = 3_000; i < 6_000; i++)
        {
            collection.Add(i + 1, $"c{i}", $"d{i / 20}", vectors[i]);
        }

        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.Equal("c5999", collection.Search(vectors[5_999], 1, 64, null)[0].ChunkId);
    }

    internal static VectorCollection Collection(float[][] vectors)
    {
        var collection = new VectorCollection("test-model", vectors[0].Length, vectors.Length);
        for (var i = 0; i < vectors.Length; i++)
        {
            collection.Add(i + 1, $"c{i}", $"d{i / 20}", vectors[i]);
        }

        collection.CoveredSeq = vectors.Length;
        return collection;
    }

    private static byte[] Bytes(VectorCollection collection)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            collection.WriteTo(writer);
        }

        return stream.ToArray();
    }
}
