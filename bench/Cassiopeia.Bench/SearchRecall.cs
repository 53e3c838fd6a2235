using System.Diagnostics;
using System.Globalization;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Cassiopeia.Infrastructure.Search;

namespace Cassiopeia.Bench;

/// <summary>
/// Recall@10 of the server's own HNSW snapshot against exact search over the same rows (three ways,
/// see <see cref="Recall"/>), for the benchmark's queries embedded as the server embeds them; prints
/// one JSON object per efSearch.
/// </summary>
public static class SearchRecall
{
    public static int Run(string snapshot, string organizationId, string modelId, int dimensions, int queries, IReadOnlyList<int> efSearches)
    {
        var started = Stopwatch.StartNew();
        var (collection, reason) = VectorSnapshotFile.TryLoad(snapshot, organizationId, modelId);
        if (collection is not { IsApproximate: true })
        {
            Console.Error.WriteLine($"no usable graph in {snapshot}: {reason}");
            return 1;
        }

        var loadSeconds = started.Elapsed.TotalSeconds;
        var corpus = new SearchCorpus();
        var embedder = new LexicalEmbeddingGenerator(dimensions);
        var embedded = Enumerable.Range(0, queries).Select(q => embedder.Embed(corpus.Query(q))).ToArray();
        double exactMs = 0;
        var exact = new Core.Search.IndexHit[queries][];
        for (var q = 0; q < queries; q++)
        {
            var t = Stopwatch.GetTimestamp();
            exact[q] = collection.SearchExact(embedded[q], 10);
            exactMs += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
        }

        // One line per candidate list size, the first being the server's: recall against cost from one snapshot.
        foreach (var efSearch in efSearches)
        {
            double approximateMs = 0;
            var recall = new Recall();
            for (var q = 0; q < queries; q++)
            {
                var t = Stopwatch.GetTimestamp();
                var approximate = collection.Search(embedded[q], 10, efSearch, null);
                approximateMs += Stopwatch.GetElapsedTime(t).TotalMilliseconds;
                recall.Add(approximate, exact[q]);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $$"""{"rows":{{collection.LiveCount}},"queries":{{queries}},"recallAt10":{{recall.Strict:F4}},"recallWithExactTies":{{recall.WithExactTies:F4}},"recallAnnBenchmarks":{{recall.AnnBenchmarks:F4}},"efSearch":{{efSearch}},"hnswMeanMs":{{approximateMs / queries:F3}},"exactMeanMs":{{exactMs / queries:F3}},"snapshotLoadSeconds":{{loadSeconds:F1}}}"""));
        }

        return 0;
    }
}
