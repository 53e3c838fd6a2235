using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;

namespace Cassiopeia.IntegrationTests.Interviews;

/// <summary>
/// The labelled answers end to end over HTTP with the lexical embedder: one question (the same seed
/// gives the same question in each interview), answers of clearly different quality, ordered by score.
/// </summary>
public abstract class InterviewQualityTests(ApiFixture fixture) : InterviewTest(fixture)
{
    private const string Jd = """
        # Database Engineer

        ## Requirements

        - Strong knowledge of PostgreSQL and SQL query tuning
        """;

    private const string Strong = """
        At Finlytics the merchant reports on PostgreSQL had become slow: p95 query time was 2.4 seconds and I was
        responsible for fixing it before the quarter close. I ran EXPLAIN ANALYZE on the slowest SQL queries and
        found sequential scans on the payments table. I added composite indexes, rewrote two queries to remove
        N+1 lookups and tuned autovacuum because the table had heavy updates. I chose partial indexes instead of
        a materialized view to keep writes cheap. As a result p95 query latency dropped from 2.4 seconds to 180 ms
        and database CPU fell by 35 percent.
        """;

    private const string Vague = "I have worked with databases a lot and I think I am quite good at it. I always try to write good queries and I like learning new things with my team.";

    private const string OffTopic = "We went hiking in the mountains last summer and the weather was lovely, so we stayed an extra night and cooked dinner by the lake.";

    [Fact]
    public async Task A_strong_answer_scores_higher_than_a_vague_one_and_both_above_off_topic_and_copied_answers()
    {
        var owner = await SignUpAsync();
        var cv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.StrongCv), "cv.md", "cv");
        var jd = await ReadyAsync(owner, TestFiles.Utf8(Jd), "jd.md", "jd");

        var scores = new Dictionary<string, int>(StringComparer.Ordinal);
        string? text = null;
        foreach (var (label, answer) in new[] { ("strong", Strong), ("vague", Vague), ("off-topic", OffTopic), ("copy", (string?)null) })
        {
            var interview = await InterviewAsync(owner, new { cvDocumentId = cv, jdDocumentId = jd, questionCount = 1, focus = "technical", seed = 2026 });
            var question = Assert.Single(Questions(interview));
            text ??= question.GetProperty("text").GetString();
            Assert.Equal(text, question.GetProperty("text").GetString());
            Assert.Contains("PostgreSQL", text!, StringComparison.OrdinalIgnoreCase);
            var answered = await AnsweredAsync(owner, Id(interview), Id(question), answer ?? text!);
            scores[label] = answered.GetProperty("feedback").GetProperty("score").GetInt32();
        }

        var summary = string.Join(", ", scores.Select(s => $"{s.Key} {s.Value}"));
        Assert.True(scores["strong"] >= 60, summary);
        Assert.True(scores["strong"] >= scores["vague"] + 25, summary);
        Assert.True(scores["vague"] > scores["off-topic"], summary);
        Assert.True(scores["off-topic"] <= 10, summary);
        Assert.Equal(0, scores["copy"]);
    }
}

public sealed class SqliteInterviewQualityTests(SqliteIngestionFixture fixture) : InterviewQualityTests(fixture), IClassFixture<SqliteIngestionFixture>;

public sealed class PostgresInterviewQualityTests(PostgresIngestionFixture fixture) : InterviewQualityTests(fixture), IClassFixture<PostgresIngestionFixture>;
