using System.Globalization;
using Cassiopeia.Core.Search;
using Cassiopeia.Core.Search.Evaluation;

namespace Cassiopeia.Quality;

/// <summary>
/// Tuning aid: fetches the keyword and vector candidate lists hybrid search fuses (same depth as
/// <see cref="SearchChunks.FindAsync"/> uses) once per query, then scores fusion variants on them
/// offline: weighted reciprocal rank fusion for several k, and a convex combination of min-max
/// normalised scores.
/// </summary>
public sealed class FusionSweep(Retriever retriever, int chunkDepth)
{
    public async Task<IReadOnlyList<(string Variant, RetrievalScores Scores)>> RunAsync(
        IReadOnlyDictionary<string, string> queries, IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels, CancellationToken ct)
    {
        var candidates = Math.Max(chunkDepth * 4, 40);
        var lists = new Dictionary<string, (IReadOnlyList<ChunkHit> Keyword, IReadOnlyList<ChunkHit> Vector)>(StringComparer.Ordinal);
        foreach (var (queryId, text) in queries)
        {
            lists[queryId] = await retriever.CandidatesAsync(text, candidates, ct);
        }

        var variants = new List<(string, Func<IReadOnlyList<ChunkHit>, IReadOnlyList<ChunkHit>, IEnumerable<ChunkHit>>)>();
        foreach (var k in new[] { 1, 10, 30, 60, 100 })
        {
            foreach (var weight in new[] { 0.5, 0.6, 0.7, 0.8, 0.9 })
            {
                variants.Add((string.Create(CultureInfo.InvariantCulture, $"rrf k={k} keyword weight={weight}"), (a, b) => Rrf(a, b, k, weight)));
            }
        }

        foreach (var weight in new[] { 0.5, 0.6, 0.7, 0.8, 0.9 })
        {
            variants.Add((string.Create(CultureInfo.InvariantCulture, $"min-max convex keyword weight={weight}"), (a, b) => Convex(a, b, weight)));
        }

        var results = new List<(string, RetrievalScores)>();
        foreach (var (name, fuse) in variants)
        {
            var run = lists.ToDictionary(l => l.Key, l => retriever.ToDocuments(fuse(l.Value.Keyword, l.Value.Vector)), StringComparer.Ordinal);
            results.Add((name, RetrievalMetrics.Evaluate(qrels, run)));
        }

        return results;
    }

    private static IEnumerable<ChunkHit> Rrf(IReadOnlyList<ChunkHit> keyword, IReadOnlyList<ChunkHit> vector, int k, double keywordWeight)
    {
        var scores = new Dictionary<ChunkHit, double>(new ChunkIdComparer());
        for (var rank = 0; rank < keyword.Count; rank++)
        {
            scores[keyword[rank]] = scores.GetValueOrDefault(keyword[rank]) + (keywordWeight / (k + rank + 1));
        }

        for (var rank = 0; rank < vector.Count; rank++)
        {
            scores[vector[rank]] = scores.GetValueOrDefault(vector[rank]) + ((1 - keywordWeight) / (k + rank + 1));
        }

        return Ordered(scores);
    }

    private static IEnumerable<ChunkHit> Convex(IReadOnlyList<ChunkHit> keyword, IReadOnlyList<ChunkHit> vector, double keywordWeight)
    {
        var scores = new Dictionary<ChunkHit, double>(new ChunkIdComparer());
        Add(keyword, keywordWeight);
        Add(vector, 1 - keywordWeight);
        return Ordered(scores);

        void Add(IReadOnlyList<ChunkHit> list, double weight)
        {
            if (list.Count == 0)
            {
                return;
            }

            var max = list.Max(h => h.Score);
            var min = list.Min(h => h.Score);
            foreach (var hit in list)
            {
                scores[hit] = scores.GetValueOrDefault(hit) + (weight * (max > min ? (hit.Score - min) / (max - min) : 1));
            }
        }
    }

    private static IEnumerable<ChunkHit> Ordered(Dictionary<ChunkHit, double> scores) =>
        scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key.ChunkId, StringComparer.Ordinal).Select(s => s.Key with { Score = s.Value });

    private sealed class ChunkIdComparer : IEqualityComparer<ChunkHit>
    {
        public bool Equals(ChunkHit? x, ChunkHit? y) => string.Equals(x?.ChunkId, y?.ChunkId, StringComparison.Ordinal);

        public int GetHashCode(ChunkHit obj) => StringComparer.Ordinal.GetHashCode(obj.ChunkId);
    }
}
