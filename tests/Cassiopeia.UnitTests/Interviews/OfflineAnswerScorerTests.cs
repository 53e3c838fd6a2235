using System.Text.RegularExpressions;
using Cassiopeia.Core.Interviews.Practice;
using Cassiopeia.Infrastructure.Ai.Embeddings;

namespace Cassiopeia.UnitTests.Interviews;

public sealed partial class OfflineAnswerScorerTests
{
    private readonly OfflineAnswerScorer _scorer = new(new LexicalEmbeddingGenerator());

    [Fact]
    public async Task Stronger_answers_score_higher_with_the_lexical_embedder()
    {
        await AnswerQuality.AssertOrderingAsync(_scorer);
    }

    [Fact]
    public async Task Every_criterion_of_the_rubric_is_scored_within_range_with_a_comment()
    {
        foreach (var set in LabelledAnswers.All())
        {
            foreach (var (label, text) in set.Ranked)
            {
                var feedback = await _scorer.ScoreAsync(set.Question, text, CancellationToken.None);

                Assert.InRange(feedback.Score, 0, 100);
                Assert.Equal(set.Question.Rubric.Select(c => c.Criterion), feedback.Criteria.Select(c => c.Criterion));
                Assert.All(feedback.Criteria, c => Assert.InRange(c.Score, 0, 10));
                Assert.All(feedback.Criteria, c => Assert.False(string.IsNullOrWhiteSpace(c.Comment), label));
                Assert.EndsWith("?", feedback.FollowUp, StringComparison.Ordinal);
            }
        }
    }

    [Fact]
    public async Task Strengths_quote_the_answer_itself()
    {
        var set = LabelledAnswers.All()[0];

        var feedback = await _scorer.ScoreAsync(set.Question, set.Strong, CancellationToken.None);

        var quotes = feedback.Strengths.SelectMany(s => QuotePattern().Matches(s)).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(quotes);
        Assert.All(quotes, q => Assert.Contains(q, set.Strong, StringComparison.Ordinal));
        Assert.Contains(feedback.Strengths, s => s.Contains("18 minutes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Empty_copied_and_off_topic_answers_score_low_and_say_what_to_do()
    {
        var set = LabelledAnswers.All()[1];

        var empty = await _scorer.ScoreAsync(set.Question, "   ", CancellationToken.None);
        var copy = await _scorer.ScoreAsync(set.Question, set.Question.Text.ToUpperInvariant(), CancellationToken.None);
        var offTopic = await _scorer.ScoreAsync(set.Question, set.OffTopic, CancellationToken.None);

        Assert.Equal(0, empty.Score);
        Assert.All(empty.Criteria, c => Assert.Equal(0, c.Score));
        Assert.Contains(empty.Improvements, i => i.StartsWith("Write an answer", StringComparison.Ordinal) && i.Contains("PostgreSQL", StringComparison.Ordinal));
        Assert.Equal(0, copy.Score);
        Assert.Contains(copy.Improvements, i => i.Contains("repeats the question", StringComparison.Ordinal));
        Assert.True(offTopic.Score <= 10, $"off-topic scored {offTopic.Score}");
        Assert.Empty(offTopic.Strengths);
        Assert.Contains(offTopic.Improvements, i => i.Contains("does not address the question about PostgreSQL", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_follow_up_probes_what_the_answer_left_out()
    {
        var question = LabelledAnswers.All()[0].Question;
        const string noOwnActions = "In 2023 our team at a bank had an outage of the payment gateway during incident response drills. "
            + "The team looked at the logs, the database was restarted and the service came back. As a result the outage was reduced from two hours to 40 minutes the next time, "
            + "because the runbook was updated and the incident response process was reviewed by everyone afterwards.";
        const string noResult = "In 2023 I was on call for the payment gateway at a bank when incident response was new to me. "
            + "I read the runbooks, I shadowed two senior engineers, I paired on three incidents and I wrote down each step we took, "
            + "then I practised the escalation steps in our staging environment and asked for feedback after each shift.";

        var actions = await _scorer.ScoreAsync(question, noOwnActions, CancellationToken.None);
        var result = await _scorer.ScoreAsync(question, noResult, CancellationToken.None);

        Assert.Equal("Actions", actions.Criteria.MinBy(c => c.Score)!.Criterion);
        Assert.Contains("yourself", actions.FollowUp, StringComparison.Ordinal);
        Assert.Contains(actions.Improvements, i => i.Contains("what you did yourself", StringComparison.Ordinal));
        Assert.Equal("Result", result.Criteria.MinBy(c => c.Score)!.Criterion);
        Assert.Contains("result", result.FollowUp, StringComparison.Ordinal);
        Assert.Contains(result.Improvements, i => i.Contains("End with the result", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_technical_answer_that_skips_the_named_technology_is_asked_about_it()
    {
        var question = OfflineQuestionGenerator.Generate(PracticeSamples.Backend(), new QuestionRequest(30))
            .First(q => q.Category == QuestionCategory.Technical && q.Text.Contains("Kubernetes", StringComparison.Ordinal));
        const string answer = "I would start by reading the deployment manifests and the dashboards, then I would check recent changes, "
            + "I would reproduce the failure in staging and I would add alerts on error rates so that we notice problems earlier. "
            + "Because rollbacks are cheaper than fixes under pressure, I would roll back first and investigate after.";

        var feedback = await _scorer.ScoreAsync(question, answer, CancellationToken.None);

        Assert.Contains("Kubernetes", feedback.FollowUp, StringComparison.Ordinal);
        Assert.Contains(feedback.Criteria, c => c.Comment.Contains("Kubernetes", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_answer_gets_the_same_feedback()
    {
        var set = LabelledAnswers.All()[2];

        var first = await _scorer.ScoreAsync(set.Question, set.Vague, CancellationToken.None);
        var second = await new OfflineAnswerScorer(new LexicalEmbeddingGenerator()).ScoreAsync(set.Question, set.Vague, CancellationToken.None);

        Assert.Equal(first.Score, second.Score);
        Assert.Equal(first.Criteria, second.Criteria);
        Assert.Equal(first.Improvements, second.Improvements);
        Assert.Equal(first.FollowUp, second.FollowUp);
    }

    [GeneratedRegex("“([^”]+?)…?”")]
    private static partial Regex QuotePattern();
}

/// <summary>The labelled set's ordering, with the semantic (GloVe) embedder on the real vectors.</summary>
[Trait("Category", "GloveFile")]
public sealed class GloveAnswerQualityTests
{
    [Fact]
    public async Task Stronger_answers_score_higher_with_the_glove_embedder()
    {
        var file = Ai.RealGloveFile.File;
        Assert.True(File.Exists(file), $"{file} is missing; run scripts/fetch-glove.sh before the tests.");

        await AnswerQuality.AssertOrderingAsync(new OfflineAnswerScorer(new GloveEmbeddingGenerator(GloveVectors.Load(file))));
    }
}

internal static class AnswerQuality
{
    /// <summary>Strong above vague by a clear margin, vague above off-topic (low), copy and empty (nothing).</summary>
    public static async Task AssertOrderingAsync(OfflineAnswerScorer scorer)
    {
        foreach (var set in LabelledAnswers.All())
        {
            var scores = new Dictionary<string, int>(StringComparer.Ordinal);
            foreach (var (label, text) in set.Ranked)
            {
                scores[label] = (await scorer.ScoreAsync(set.Question, text, CancellationToken.None)).Score;
            }

            var shown = $"{set.Name}: {string.Join(", ", scores.Select(s => $"{s.Key} {s.Value}"))}";
            Assert.True(scores["strong"] >= 70, shown);
            Assert.True(scores["strong"] >= scores["vague"] + 25, shown);
            Assert.True(scores["vague"] > scores["off-topic"] && scores["vague"] > scores["copy"] && scores["vague"] > scores["empty"], shown);
            Assert.True(scores["off-topic"] <= 10 && scores["copy"] == 0 && scores["empty"] == 0, shown);
        }
    }
}
