namespace Cassiopeia.Core.Search.Evaluation;

/// <summary>One document of a run with the score the retriever gave it (higher is better).</summary>
public sealed record ScoredDocument(string DocumentId, double Score);

/// <summary>Macro averages over the evaluated queries.</summary>
public sealed record RetrievalScores(int Queries, double Ndcg, double Recall, IReadOnlyDictionary<string, (double Ndcg, double Recall)> PerQuery);

/// <summary>
/// nDCG@k and Recall@k as trec_eval's <c>ndcg_cut</c> and <c>recall</c> compute them, which is how
/// BEIR (through pytrec_eval) scores retrieval: the supplied order is ignored and documents are
/// sorted by score descending with ties broken by document id descending (ordinal); gain is the
/// graded relevance itself (linear), discounted by log2(rank + 1); the ideal DCG comes from all
/// judged relevant documents; a document is relevant when its grade is at least 1; a document
/// whose id equals the query id is dropped (BEIR's ignore_identical_ids); queries without a
/// relevant document are left out of the mean.
/// </summary>
public static class RetrievalMetrics
{
    /// <summary>
    /// Scores <paramref name="run"/> against <paramref name="qrels"/> (query id → document id → grade).
    /// A judged query absent from the run counts as an empty run (pytrec_eval would skip it).
    /// </summary>
    public static RetrievalScores Evaluate(
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels,
        IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> run,
        int ndcgCutoff = 10,
        int recallCutoff = 100)
    {
        var perQuery = new SortedDictionary<string, (double Ndcg, double Recall)>(StringComparer.Ordinal);
        foreach (var (queryId, judged) in qrels)
        {
            if (!judged.Values.Any(g => g >= 1))
            {
                continue;
            }

            var ranked = TrecOrder(queryId, run.GetValueOrDefault(queryId) ?? []);
            perQuery[queryId] = (Ndcg(judged, ranked, ndcgCutoff), Recall(judged, ranked, recallCutoff));
        }

        var count = perQuery.Count;
        return new RetrievalScores(
            count,
            count == 0 ? 0 : perQuery.Values.Average(v => v.Ndcg),
            count == 0 ? 0 : perQuery.Values.Average(v => v.Recall),
            perQuery);
    }

    /// <summary>
    /// The run as trec_eval reads it: one entry per document (the highest score if repeated), the
    /// query itself removed, sorted by score descending and then document id descending.
    /// </summary>
    public static IReadOnlyList<ScoredDocument> TrecOrder(string queryId, IEnumerable<ScoredDocument> run)
    {
        var best = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (documentId, score) in run)
        {
            if (documentId != queryId && (!best.TryGetValue(documentId, out var seen) || score > seen))
            {
                best[documentId] = score;
            }
        }

        return best.OrderByDescending(d => d.Value).ThenByDescending(d => d.Key, StringComparer.Ordinal)
            .Select(d => new ScoredDocument(d.Key, d.Value)).ToList();
    }

    /// <summary>DCG@k / IDCG@k with linear gain; 0 when nothing is relevant.</summary>
    public static double Ndcg(IReadOnlyDictionary<string, int> judged, IReadOnlyList<ScoredDocument> ranked, int k)
    {
        var dcg = 0.0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            dcg += Math.Max(judged.GetValueOrDefault(ranked[i].DocumentId), 0) / Math.Log2(i + 2);
        }

        var ideal = 0.0;
        var grades = judged.Values.Where(g => g > 0).OrderDescending().Take(k).ToList();
        for (var i = 0; i < grades.Count; i++)
        {
            ideal += grades[i] / Math.Log2(i + 2);
        }

        return ideal == 0 ? 0 : dcg / ideal;
    }

    /// <summary>Relevant documents in the top k over all relevant documents judged.</summary>
    public static double Recall(IReadOnlyDictionary<string, int> judged, IReadOnlyList<ScoredDocument> ranked, int k)
    {
        var relevant = judged.Values.Count(g => g >= 1);
        if (relevant == 0)
        {
            return 0;
        }

        var found = ranked.Take(k).Count(d => judged.GetValueOrDefault(d.DocumentId) >= 1);
        return (double)found / relevant;
    }
}
