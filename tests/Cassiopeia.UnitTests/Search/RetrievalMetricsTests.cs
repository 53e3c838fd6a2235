using Cassiopeia.Core.Search.Evaluation;

namespace Cassiopeia.UnitTests.Search;

/// <summary>Hand-made runs whose values are worked out in the comments (1/log2(2) = 1, 1/log2(3) = 0.6309298, 1/log2(4) = 0.5).</summary>
public sealed class RetrievalMetricsTests
{
    private const double Tolerance = 1e-6;

    [Fact]
    public void Binary_ndcg_discounts_by_log2_of_rank_plus_one_and_recall_counts_all_judged_relevant()
    {
        // Relevant d1, d2 at ranks 2 and 3: DCG = 0.6309298 + 0.5; IDCG = 1 + 0.6309298.
        var scores = Evaluate(Qrels(("q", "d1", 1), ("q", "d2", 1)), Run("q", ("d3", 0.9), ("d1", 0.8), ("d2", 0.1)));

        Assert.Equal(1, scores.Queries);
        Assert.Equal(1.1309298 / 1.6309298, scores.Ndcg, Tolerance);
        Assert.Equal(0.6934264, scores.Ndcg, Tolerance);
        Assert.Equal(1.0, scores.Recall, Tolerance);
        Assert.Equal(0.5, RetrievalMetrics.Evaluate(Qrels(("q", "d1", 1), ("q", "d2", 1)), Run("q", ("d3", 0.9), ("d1", 0.8), ("d2", 0.1)), 10, 2).Recall, Tolerance);
    }

    [Fact]
    public void Gain_is_the_grade_itself_and_the_ideal_order_puts_higher_grades_first()
    {
        // y (grade 1) then x (grade 2): DCG = 1 + 2 × 0.6309298; IDCG = 2 + 0.6309298.
        var scores = Evaluate(Qrels(("q", "x", 2), ("q", "y", 1)), Run("q", ("y", 2), ("x", 1)));

        Assert.Equal(0.8597187, scores.Ndcg, Tolerance);
        Assert.Equal(1.0, scores.Recall, Tolerance);
    }

    [Fact]
    public void The_given_order_is_ignored_and_equal_scores_go_by_document_id_descending()
    {
        // Listed first, but "a" sorts after "b" among equal scores: rank 2, nDCG 0.6309298.
        var tied = Evaluate(Qrels(("q", "a", 1)), Run("q", ("a", 1.0), ("b", 1.0)));
        Assert.Equal(0.6309298, tied.Ndcg, Tolerance);

        // Listed last with the highest score: rank 1.
        var unsorted = Evaluate(Qrels(("q", "a", 1)), Run("q", ("b", 0.2), ("c", 0.3), ("a", 0.5)));
        Assert.Equal(1.0, unsorted.Ndcg, Tolerance);

        // Ordinal (strcmp) order, not numeric: "d9" > "d10" > "d1".
        Assert.Equal(["d9", "d10", "d1"], RetrievalMetrics.TrecOrder("q", [new("d1", 1), new("d9", 1), new("d10", 1)]).Select(d => d.DocumentId));
    }

    [Fact]
    public void Documents_below_the_cutoff_count_for_neither_metric()
    {
        var run = Enumerable.Range(0, 11).Select(i => ($"n{i:00}", 100.0 - i)).ToList();
        run[10] = ("rel", 1.0); // rank 11

        var scores = RetrievalMetrics.Evaluate(Qrels(("q", "rel", 1)), Run("q", [.. run]), 10, 10);

        Assert.Equal(0.0, scores.Ndcg, Tolerance);
        Assert.Equal(0.0, scores.Recall, Tolerance);
    }

    [Fact]
    public void Ideal_dcg_is_cut_at_k_so_a_perfect_top_ten_scores_one_with_more_relevant_documents()
    {
        var judged = Enumerable.Range(0, 12).Select(i => ("q", $"d{i:00}", 1)).ToArray();
        var run = Enumerable.Range(0, 12).Select(i => ($"d{i:00}", 100.0 - i)).ToArray();

        var scores = RetrievalMetrics.Evaluate(Qrels(judged), Run("q", run), 10, 10);

        Assert.Equal(1.0, scores.Ndcg, Tolerance);
        Assert.Equal(10.0 / 12, scores.Recall, Tolerance);
    }

    [Fact]
    public void An_empty_or_missing_run_scores_zero_and_still_counts_in_the_mean()
    {
        var qrels = Qrels(("q1", "a", 1), ("q2", "b", 1), ("q3", "c", 1));
        var run = new Dictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal)
        {
            ["q1"] = [new("a", 1)],
            ["q2"] = [],
        };

        var scores = RetrievalMetrics.Evaluate(qrels, run);

        Assert.Equal(3, scores.Queries);
        Assert.Equal(1.0 / 3, scores.Ndcg, Tolerance);
        Assert.Equal(1.0 / 3, scores.Recall, Tolerance);
        Assert.Equal((0.0, 0.0), scores.PerQuery["q3"]);
    }

    [Fact]
    public void Queries_without_a_relevant_document_are_left_out_of_the_mean()
    {
        var qrels = Qrels(("q1", "a", 1), ("q2", "b", 0));
        var run = new Dictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal)
        {
            ["q1"] = [new("a", 1)],
            ["q2"] = [new("b", 1)],
        };

        var scores = RetrievalMetrics.Evaluate(qrels, run);

        Assert.Equal(1, scores.Queries);
        Assert.Equal(1.0, scores.Ndcg, Tolerance);
        Assert.False(scores.PerQuery.ContainsKey("q2"));
    }

    [Fact]
    public void The_query_itself_is_dropped_and_a_repeated_document_keeps_its_best_score()
    {
        // "q" retrieved for query "q" is removed (BEIR ignores identical ids): d rises to rank 1.
        Assert.Equal(1.0, Evaluate(Qrels(("q", "d", 1)), Run("q", ("q", 5), ("d", 4))).Ndcg, Tolerance);

        // a at 0.9 (its best) beats b at 0.5.
        var ranked = RetrievalMetrics.TrecOrder("q", [new("a", 0.1), new("b", 0.5), new("a", 0.9)]);
        Assert.Equal([("a", 0.9), ("b", 0.5)], ranked.Select(d => (d.DocumentId, d.Score)));
    }

    [Fact]
    public void Unjudged_and_zero_grade_documents_add_no_gain()
    {
        // Judged-irrelevant z at rank 1, unjudged u at rank 2, relevant r at rank 3: DCG = 0.5, IDCG = 1.
        var scores = Evaluate(Qrels(("q", "r", 1), ("q", "z", 0)), Run("q", ("z", 3), ("u", 2), ("r", 1)));

        Assert.Equal(0.5, scores.Ndcg, Tolerance);
        Assert.Equal(1.0, scores.Recall, Tolerance);
    }

    private static RetrievalScores Evaluate(IReadOnlyDictionary<string, IReadOnlyDictionary<string, int>> qrels, IReadOnlyDictionary<string, IReadOnlyList<ScoredDocument>> run) =>
        RetrievalMetrics.Evaluate(qrels, run);

    private static Dictionary<string, IReadOnlyDictionary<string, int>> Qrels(params (string Query, string Document, int Grade)[] lines) =>
        lines.GroupBy(l => l.Query, StringComparer.Ordinal).ToDictionary(
            g => g.Key,
            g => (IReadOnlyDictionary<string, int>)g.ToDictionary(l => l.Document, l => l.Grade, StringComparer.Ordinal),
            StringComparer.Ordinal);

    private static Dictionary<string, IReadOnlyList<ScoredDocument>> Run(string query, params (string Document, double Score)[] hits) =>
        new(StringComparer.Ordinal) { [query] = hits.Select(h => new ScoredDocument(h.Document, h.Score)).ToList() };
}
