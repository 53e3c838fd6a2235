using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;

namespace Cassiopeia.IntegrationTests.Interviews;

/// <summary>
/// The labelled set through the offline path: the better CV scores higher, and a requirement the CV
/// does not mention is missing. Run with the lexical embedder and with GloVe.
/// </summary>
public abstract class MatchQualityTests(ApiFixture fixture) : MatchTest(fixture)
{
    [Fact]
    public async Task The_better_cv_scores_higher_and_absent_requirements_are_missing()
    {
        var owner = await SignUpAsync();
        var jd = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.Jd), "jd.md", "jd");
        var strongCv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.StrongCv), "strong.md", "cv");
        var partialCv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.PartialCv), "partial.md", "cv");
        var weakCv = await ReadyAsync(owner, TestFiles.Utf8(LabelledSet.WeakCv), "weak.md", "cv");

        var strong = await MatchAsync(owner, strongCv, jd);
        var partial = await MatchAsync(owner, partialCv, jd);
        var weak = await MatchAsync(owner, weakCv, jd);

        Assert.True(Score(strong) > Score(partial) && Score(partial) > Score(weak), $"strong {Score(strong)}, partial {Score(partial)}, weak {Score(weak)}");
        Assert.True(Score(strong) >= 80, $"strong {Score(strong)}: {strong}");
        Assert.True(Score(weak) <= 20, $"weak {Score(weak)}: {weak}");

        Assert.Equal("met", Status(strong, "Kubernetes"));
        Assert.Equal("met", Status(strong, "5+ years"));
        Assert.Equal("partial", Status(partial, "Kubernetes"));
        Assert.Equal("missing", Status(partial, "Terraform"));
        Assert.Equal("missing", Status(partial, "Kafka"));
        Assert.Equal("met", Status(partial, "REST APIs"));
        Assert.NotEqual("met", Status(partial, "5+ years"));
        Assert.Equal("missing", Status(weak, "Kubernetes"));
        Assert.Equal("missing", Status(weak, "PostgreSQL"));
        Assert.Empty(Requirement(weak, "Kubernetes").GetProperty("evidence").EnumerateArray());

        await AssertEvidenceIsVerbatimAsync(owner, strong, strongCv);
        await AssertEvidenceIsVerbatimAsync(owner, partial, partialCv);
    }
}

public sealed class SqliteLexicalMatchQualityTests(SqliteIngestionFixture fixture) : MatchQualityTests(fixture), IClassFixture<SqliteIngestionFixture>;

public sealed class PostgresLexicalMatchQualityTests(PostgresIngestionFixture fixture) : MatchQualityTests(fixture), IClassFixture<PostgresIngestionFixture>;

[Trait("Category", "GloveFile")]
public sealed class SqliteGloveMatchQualityTests(SqliteGloveIngestionFixture fixture) : MatchQualityTests(fixture), IClassFixture<SqliteGloveIngestionFixture>;

[Trait("Category", "GloveFile")]
public sealed class PostgresGloveMatchQualityTests(PostgresGloveIngestionFixture fixture) : MatchQualityTests(fixture), IClassFixture<PostgresGloveIngestionFixture>;
