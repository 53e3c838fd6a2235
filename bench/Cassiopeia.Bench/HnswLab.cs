using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Cassiopeia.Infrastructure.Search;
using Cassiopeia.Infrastructure.Search.Hnsw;

namespace Cassiopeia.Bench;

/// <summary>
/// The HNSW graph in-process, without the server: builds it over the search benchmark's corpus
/// (embedded as the seeder embeds it, cached on disk) and prints one JSON line per efSearch with
/// recall@10 against exact search (three ways, see <see cref="Recall"/>) and the time per query.
/// </summary>
public static class HnswLab
{
    public const string Usage = """
        hnsw-lab <chunks> <dims> [--m 16] [--ef-construction 100] [--ef 64,128,256] [--queries 200]
                 [--threads 2] [--cache /tmp/cassiopeia-hnsw-lab] [--seed N]
        """;

    public static int Run(IReadOnlyList<string> args)
    {
        if (args.Count < 2)
        {
            Console.Error.WriteLine(Usage);
            return 2;
        }

        var chunks = int.Parse(args[0], CultureInfo.InvariantCulture);
        var dimensions = int.Parse(args[1], CultureInfo.InvariantCulture);
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 2; i + 1 < args.Count; i += 2)
        {
            options[args[i]] = args[i + 1];
        }

        int Option(string name, int fallback) => options.TryGetValue(name, out var v) ? int.Parse(v, CultureInfo.InvariantCulture) : fallback;
        var parameters = new HnswParameters
        {
            M = Option("--m", 16),
            EfConstruction = Option("--ef-construction", 100),
            BuildThreads = Option("--threads", 2),
            Seed = options.TryGetValue("--seed", out var seed) ? ulong.Parse(seed, CultureInfo.InvariantCulture) : new HnswParameters().Seed,
        };
        var efs = (options.GetValueOrDefault("--ef") ?? "64,128,256").Split(',').Select(e => int.Parse(e, CultureInfo.InvariantCulture)).ToArray();
        var queries = Option("--queries", 200);
        var cache = options.GetValueOrDefault("--cache") ?? Path.Combine(Path.GetTempPath(), "cassiopeia-hnsw-lab");

        var vectors = Vectors(chunks, dimensions, cache);
        var source = new VectorCollection("lab", dimensions, chunks);
        for (var i = 0; i < chunks; i++)
        {
            source.Add(i + 1, i.ToString(CultureInfo.InvariantCulture), (i / SearchCorpus.ChunksPerDocument).ToString(CultureInfo.InvariantCulture), vectors.AsSpan(i * dimensions, dimensions));
        }

        var started = Stopwatch.StartNew();
        var built = source.BuildApproximate(parameters, CancellationToken.None).Built;
        var buildSeconds = started.Elapsed.TotalSeconds;
        Console.Error.WriteLine($"built {chunks:N0} x {dimensions} (M {parameters.M}, efConstruction {parameters.EfConstruction}, {parameters.BuildThreads} threads) in {buildSeconds:F1} s");

        var corpus = new SearchCorpus();
        var embedder = new LexicalEmbeddingGenerator(dimensions);
        // Benchmark queries (four words of a topic), or held-out chunks: documents past the corpus.
        var embedded = options.GetValueOrDefault("--queries-from") == "chunks"
            ? Enumerable.Range(0, queries).Select(q => embedder.Embed(corpus.Chunk((chunks / SearchCorpus.ChunksPerDocument) + 1 + q, q % SearchCorpus.ChunksPerDocument))).ToArray()
            : Enumerable.Range(0, queries).Select(q => embedder.Embed(corpus.Query(q))).ToArray();
        var exact = embedded.Select(q => built.SearchExact(q, 10)).ToArray();
        using (var file = File.Create(Path.Combine(cache, $"queries-{queries}-{dimensions}-{options.GetValueOrDefault("--queries-from") ?? "queries"}.f32")))
        {
            foreach (var query in embedded)
            {
                file.Write(MemoryMarshal.AsBytes(query.AsSpan()));
            }
        }

        if (options.ContainsKey("--contrast"))
        {
            // How far the true neighbours stand from the crowd: mean similarity at ranks 1, 10, 100, 1000 and of all rows.
            var ranks = embedded.Select(q => built.SearchExact(q, 1000).Select(h => h.Score).ToArray()).ToArray();
            var all = embedded.Average(q => Enumerable.Range(0, Math.Min(chunks, 5000)).Average(i => (double)System.Numerics.Tensors.TensorPrimitives.Dot(q, vectors.AsSpan(i * dimensions, dimensions))));
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"similarity at rank 1 {ranks.Average(r => r[0]):F4}, 10 {ranks.Average(r => r[9]):F4}, 11 {ranks.Average(r => r[10]):F4}, 100 {ranks.Average(r => r[99]):F4}, 1000 {ranks.Average(r => r[999]):F4}, mean {all:F4}"));
        }

        foreach (var ef in efs)
        {
            var recall = new Recall();
            var times = new double[queries];
            for (var q = 0; q < queries; q++)
            {
                var t = Stopwatch.GetTimestamp();
                var hits = built.Search(embedded[q], 10, ef, null);
                times[q] = Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                recall.Add(hits, exact[q]);
            }

            Array.Sort(times);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $$"""{"chunks":{{chunks}},"dims":{{dimensions}},"m":{{parameters.M}},"efConstruction":{{parameters.EfConstruction}},"threads":{{parameters.BuildThreads}},"buildSeconds":{{buildSeconds:F1}},"efSearch":{{ef}},"recallAt10":{{recall.Strict:F4}},"recallWithExactTies":{{recall.WithExactTies:F4}},"recallAnnBenchmarks":{{recall.AnnBenchmarks:F4}},"meanMs":{{times.Average():F3}},"p95Ms":{{times[(int)(queries * 0.95)]:F3}}}"""));
        }

        return 0;
    }

    /// <summary>The benchmark corpus's chunk vectors, embedded once and kept as raw float32 rows.</summary>
    private static float[] Vectors(int chunks, int dimensions, string cache)
    {
        Directory.CreateDirectory(cache);
        var path = Path.Combine(cache, $"corpus-{chunks}-{dimensions}.f32");
        var vectors = new float[(long)chunks * dimensions];
        var bytes = MemoryMarshal.AsBytes(vectors.AsSpan());
        if (File.Exists(path) && new FileInfo(path).Length == bytes.Length)
        {
            using var file = File.OpenRead(path);
            file.ReadExactly(bytes);
            return vectors;
        }

        var started = Stopwatch.StartNew();
        var corpus = new SearchCorpus();
        var embedder = new LexicalEmbeddingGenerator(dimensions);
        Parallel.For(0, chunks, i =>
        {
            var vector = embedder.Embed(corpus.Chunk(i / SearchCorpus.ChunksPerDocument, i % SearchCorpus.ChunksPerDocument));
            vector.CopyTo(vectors.AsSpan(i * dimensions, dimensions));
        });
        // Written aside and renamed: another lab process may be reading or writing the same cache.
        var temporary = $"{path}.{Environment.ProcessId}.tmp";
        using (var file = File.Create(temporary))
        {
            file.Write(bytes);
        }

        File.Move(temporary, path, overwrite: true);

        Console.Error.WriteLine($"embedded {chunks:N0} chunks in {started.Elapsed.TotalSeconds:F1} s -> {path}");
        return vectors;
    }
}
