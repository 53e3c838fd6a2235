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

    /// <summary>The same vectors linked by two threads at once.</summary>
    private static readonly Lazy<VectorCollection> TenThousandInParallel = new(() =>
    {
        var collection = Collection(RandomVectors.Clustered(10_000, Dimensions, Clusters, Spread, seed: 7));
        return collection.BuildApproximate(new HnswParameters { BuildThreads = 2 }, CancellationToken.None).Built;
    });

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Recall_at_10_against_exact_search_is_at_least_0_95_on_10k_clustered_unit_vectors(int buildThreads)
    {
        var collection = buildThreads == 1 ? TenThousand.Value : TenThousandInParallel.Value;
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

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Tombstoned_rows_are_never_returned_and_reingested_chunks_replace_their_old_row(int buildThreads)
    {
        var vectors = RandomVectors.Create(3_000, 32, seed: 5);
        var collection = Collection(vectors).BuildApproximate(new HnswParameters { BuildThreads = buildThreads }, CancellationToken.None).Built;
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

    [Fact]
    public void One_thread_links_rows_in_a_range_exactly_as_one_by_one()
    {
        var vectors = RandomVectors.Create(1_500, 16, seed: 17);
        var store = Store(vectors);
        var oneByOne = new HnswGraph(store, new HnswParameters { Seed = 9 });
        for (var i = 0; i < vectors.Length; i++)
        {
            oneByOne.Add();
        }

        var ranged = new HnswGraph(store, new HnswParameters { Seed = 9 });
        ranged.AddRange(1_000, threads: 1, CancellationToken.None);
        ranged.AddRange(500, threads: 1, CancellationToken.None);
        Assert.Equal(Bytes(oneByOne), Bytes(ranged));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4)]
    public void Parallel_build_links_every_node_findably_and_survives_a_round_trip(int threads)
    {
        var vectors = RandomVectors.Create(4_000, 16, seed: 19);
        var store = Store(vectors);
        var graph = new HnswGraph(store, new HnswParameters { M = 8, EfConstruction = 64 });
        graph.AddRange(vectors.Length, threads, CancellationToken.None);

        // Read validates every link: in range, on a layer the target has, never to itself.
        using var stream = new MemoryStream(Bytes(graph));
        using var reader = new BinaryReader(stream);
        var loaded = HnswGraph.Read(reader, store);
        Assert.Equal(vectors.Length, loaded.Count);
        var missed = Enumerable.Range(0, vectors.Length).Count(i => loaded.Search(vectors[i], 1, 64, null)[0].Node != i);

        // One thread builds exactly the seeded graph. Several interleave differently on every run, and
        // as in any HNSW a node can then lose its last in-link to its neighbours' pruning: the full
        // suite on 2 cores once left 1 of 4,000 rows unfound. A linking bug loses far more than 0.1 %.
        var allowed = threads == 1 ? 0 : vectors.Length / 1000;
        Assert.True(missed <= allowed, $"{missed} of {vectors.Length} rows not found by their own vector (allowed {allowed})");
    }

    [Fact]
    public void Parallel_build_stops_when_cancelled()
    {
        var vectors = RandomVectors.Create(2_000, 16, seed: 23);
        using var cancelled = new CancellationTokenSource();
        cancelled.Cancel();
        var graph = new HnswGraph(Store(vectors), new HnswParameters());
        Assert.ThrowsAny<OperationCanceledException>(() => graph.AddRange(vectors.Length, threads: 2, cancelled.Token));
    }

    [Fact]
    public async Task Parallel_build_beside_searches_and_a_writer_catches_up_with_adds_and_deletes()
    {
        var vectors = RandomVectors.Create(8_000, 32, seed: 29);
        var source = Collection(vectors[..6_000]);
        using var stop = new CancellationTokenSource();
        var readers = Enumerable.Range(0, 2).Select(r => Task.Run(() =>
        {
            var searches = 0;
            while (!stop.IsCancellationRequested || searches < 20)
            {
                Assert.Equal(10, source.Search(vectors[((searches * 13) + r) % 6_000], 10, 64, null).Length);
                searches++;
            }
        })).ToArray();
        var build = Task.Run(() => source.BuildApproximate(new HnswParameters { BuildThreads = 2 }, CancellationToken.None));
        for (var i = 6_000; i < 8_000; i++)
        {
            source.Add(i + 1, $"c{i}", $"d{i / 20}", vectors[i]);
        }

        // Every fourth of the first 6,000 rows deleted meanwhile.
        source.DeleteMissing(Enumerable.Range(0, 8_000).Where(i => i >= 6_000 || i % 4 != 0).Select(i => (long)i + 1).ToHashSet());
        var (built, nodes, captured) = await build;
        source.CatchUp(built, nodes, captured);
        stop.Cancel();
        await Task.WhenAll(readers);

        Assert.True(built.IsApproximate);
        Assert.Equal(source.LiveCount, built.LiveCount);
        Assert.Equal(6_500, built.LiveCount);
        foreach (var i in new[] { 1, 4_001, 6_000, 7_999 })
        {
            Assert.Equal($"c{i}", built.Search(vectors[i], 1, 64, null)[0].ChunkId);
        }

        foreach (var query in vectors.Take(100))
        {
            Assert.All(built.Search(query, 10, 64, null), h => Assert.False(int.Parse(h.ChunkId[1..], System.Globalization.CultureInfo.InvariantCulture) is var i && i < 6_000 && i % 4 == 0, $"{h.ChunkId} was deleted"));
        }
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

    private static VectorStore Store(float[][] vectors)
    {
        var store = new VectorStore(vectors[0].Length, vectors.Length);
        foreach (var vector in vectors)
        {
            store.Add(vector);
        }

        return store;
    }

    private static byte[] Bytes(HnswGraph graph)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            graph.Write(writer);
        }

        return stream.ToArray();
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
