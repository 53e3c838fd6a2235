using Cassiopeia.Core.Common;
using Microsoft.Extensions.AI;

namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// Scores an answer without a chat model. For each criterion a raw value in [0, 1] mixes three kinds
/// of evidence, weighted by what the criterion looks at (<see cref="CriterionKind"/>): relevance (the
/// answer's embedding against the question, rubric and source quotes, calibrated against off-topic
/// text), coverage of the criterion's key points, and structure (STAR parts, first-person actions,
/// numbers, named technologies, reasoning). The raw value is damped for off-topic and very short
/// answers; a criterion scores round(10 × value), the answer round(100 × mean value). Empty answers
/// and copies of the question score (almost) nothing and say why.
/// </summary>
public sealed class OfflineAnswerScorer(IEmbeddingGenerator<string, Embedding<float>> embeddings)
{
    public const string Version = "rubric-offline-v1";

    /// <summary>Texts about nothing in particular: how similar the reference is to them is this embedder's floor.</summary>
    private static readonly string[] OffTopic =
    [
        "We went to the beach at the weekend and the weather was lovely, so we stayed for a picnic.",
        "My favourite recipe is a slow-cooked tomato soup with fresh basil and crusty bread.",
        "The football match went to extra time and the home team finally won on penalties.",
    ];

    private readonly Lazy<Task<float[][]>> _offTopic = new(() => EmbedAsync(embeddings, OffTopic, CancellationToken.None));

    public async Task<AnswerFeedback> ScoreAsync(PracticeQuestion question, string? answer, CancellationToken ct)
    {
        var signals = new AnswerSignals(answer ?? "");
        if (signals.Stems.Count < 3)
        {
            return AnswerFeedbackWriter.Empty(question);
        }

        var questionStems = PracticeText.ContentStems(question.Text).ToHashSet(StringComparer.Ordinal);
        var novel = signals.Stems.Count(s => !questionStems.Contains(s));
        if (PracticeText.Containment(signals.Stems, questionStems) >= 0.7 && novel < 6)
        {
            return AnswerFeedbackWriter.Copy(question);
        }

        var relevance = await RelevanceAsync(question, signals, ct);
        var values = question.Rubric.Select(c => Value(c, signals, relevance)).ToList();

        // Structure cannot make up for not answering the question, nor for a one-liner.
        var damping = (0.2 + (0.8 * Math.Min(1, relevance * 1.5))) * Math.Sqrt(signals.Length);
        var scored = question.Rubric.Zip(values, (c, v) => new ScoredCriterion(c, Math.Clamp(v.Value * damping, 0, 1), v.Covered, v.Missing)).ToList();
        return AnswerFeedbackWriter.Write(question, signals, relevance, scored);
    }

    /// <summary>
    /// 0–1: half semantic (how far the answer's embedding is above the reference's similarity to
    /// off-topic text, halfway to identical counting as full), half topical (share of the question's
    /// subject words the answer names, three sufficing). An answer closer to small talk than to the
    /// question keeps a third of it.
    /// </summary>
    private async Task<double> RelevanceAsync(PracticeQuestion question, AnswerSignals answer, CancellationToken ct)
    {
        var reference = string.Join(' ', [question.Text, .. question.Rubric.Select(c => c.Description), .. question.Rubric.SelectMany(c => c.KeyPoints)]);
        var evidence = string.Join(' ', question.Sources.Select(s => s.Quote));
        var vectors = await EmbedAsync(embeddings, evidence.Length > 0 ? [answer.Text, reference, evidence] : [answer.Text, reference], ct);
        var offTopic = await _offTopic.Value.WaitAsync(ct);
        var similarity = vectors.Skip(1).Max(v => Similarity.Cosine(vectors[0], v));
        var floor = offTopic.Average(v => Similarity.Cosine(vectors[1], v));
        var semantic = Math.Clamp((similarity - floor) / Math.Max(0.05, (1 - floor) / 2), 0, 1);

        var topics = question.Rubric.SelectMany(c => c.KeyPoints).Where(AnswerFeedbackWriter.IsTopical).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var topical = topics.Count == 0 ? semantic : Math.Min(1, topics.Count(p => Covers(answer, p)) / Math.Min(3.0, topics.Count));
        var relevance = (semantic + topical) / 2;
        return similarity <= offTopic.Max(v => Similarity.Cosine(vectors[0], v)) ? relevance / 3 : relevance;
    }

    private static (double Value, List<string> Covered, List<string> Missing) Value(RubricCriterion criterion, AnswerSignals a, double relevance)
    {
        var covered = criterion.KeyPoints.Where(p => Covers(a, p)).ToList();
        var missing = criterion.KeyPoints.Except(covered).ToList();
        var wanted = criterion.Kind is CriterionKind.Depth or CriterionKind.Plan or CriterionKind.Result ? 2.0 : 3.0;
        var coverage = Math.Min(1, covered.Count / Math.Min(wanted, Math.Max(1, criterion.KeyPoints.Count)));
        var actions = Math.Min(1, a.Actions.Count / 3.0);
        var value = criterion.Kind switch
        {
            CriterionKind.Substance => (0.45 * relevance) + (0.4 * coverage) + (0.15 * a.Specifics),
            CriterionKind.Depth => (0.45 * Math.Max(coverage, Math.Min(1, a.Reasoning / 3.0))) + (0.25 * relevance) + (0.3 * a.Length),
            CriterionKind.Example => (0.3 * relevance) + (0.3 * actions) + (0.2 * a.Specifics) + (0.2 * coverage),
            CriterionKind.Situation => (0.25 * (a.Situation is null ? 0 : 1)) + (0.15 * (a.Task is null ? 0 : 1)) + (0.3 * relevance) + (0.3 * coverage),
            CriterionKind.Action => (0.5 * actions) + (0.25 * relevance) + (0.25 * coverage),
            CriterionKind.Result => (0.35 * Math.Min(1, a.Results.Count / 1.0)) + (0.35 * (a.Results.Any(PracticeText.HasNumber) ? 1 : a.Numbers.Count > 0 ? 0.5 : 0)) + (0.3 * Math.Max(coverage, relevance)),
            CriterionKind.Transfer => (0.35 * relevance) + (0.35 * coverage) + (0.3 * actions),
            CriterionKind.Plan => (0.4 * coverage) + (0.25 * (a.Timeline ? 1 : 0)) + (0.35 * relevance),
            _ => relevance,
        };
        return (value, covered, missing);
    }

    /// <summary>A key point is covered when most of its content words appear in the answer (numbers by their digits).</summary>
    private static bool Covers(AnswerSignals answer, string point)
    {
        var stems = PracticeText.ContentStems(point);
        if (stems.Count == 0)
        {
            return false;
        }

        if (char.IsDigit(point.Trim()[0]))
        {
            var digits = new string(point.Where(char.IsDigit).ToArray());
            return answer.Numbers.Any(n => n.Contains(digits, StringComparison.Ordinal));
        }

        var found = stems.Count(s => answer.Stems.Contains(s) || (s.Length >= 6 && answer.Stems.Any(w => w.Length >= 6 && w[..5] == s[..5])));
        return found * 2 >= stems.Count + 1;
    }

    private static async Task<float[][]> EmbedAsync(IEmbeddingGenerator<string, Embedding<float>> generator, IReadOnlyList<string> texts, CancellationToken ct)
    {
        var result = await generator.GenerateAsync(texts, cancellationToken: ct);
        return result.Select(e => e.Vector.ToArray()).ToArray();
    }

}

/// <summary>A criterion with its damped value (0–1) and the key points the answer did and did not cover.</summary>
internal sealed record ScoredCriterion(RubricCriterion Criterion, double Value, IReadOnlyList<string> Covered, IReadOnlyList<string> Missing)
{
    public int Score => (int)Math.Round(Value * 10, MidpointRounding.AwayFromZero);
}
