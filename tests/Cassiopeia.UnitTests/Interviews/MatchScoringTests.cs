using Cassiopeia.Core.Interviews.Matching;

namespace Cassiopeia.UnitTests.Interviews;

public sealed class MatchScoringTests
{
    [Fact]
    public void The_score_is_weighted_coverage_with_required_counting_double()
    {
        // Required: met (2) + partial (2 × 0.5) + missing (0); preferred: met (1). 4 of 7.
        var score = MatchScore.Of([Result("required", "met"), Result("required", "partial"), Result("required", "missing"), Result("preferred", "met")]);

        Assert.Equal(57, score);
        Assert.Equal(0, MatchScore.Of([]));
        Assert.Equal(100, MatchScore.Of([Result("preferred", "met")]));
        Assert.True(MatchScore.Of([Result("required", "met"), Result("preferred", "missing")]) > MatchScore.Of([Result("required", "missing"), Result("preferred", "met")]));
    }

    [Fact]
    public void Years_come_from_explicit_statements_and_the_union_of_role_dates_naming_the_subject()
    {
        var years = ExperienceYears.Read(
            [
                "Software Engineer, Acme, 2015 to 2019\n- Built Python services.\nData Engineer, Beta, Mar 2018 - Jan 2021\n- Python and Airflow pipelines.",
                "I have 12 years of experience with Excel.",
            ],
            new DateTime(2026, 6, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(6, years.For(["python"]));
        Assert.Equal(2.8, years.For(["airflow"]));
        Assert.Equal(12, years.For(["excel"]));
        Assert.Null(years.For(["kubernete"]));
    }

    [Fact]
    public void Present_ends_today()
    {
        var years = ExperienceYears.Read(["Lead, Gamma, 2020 to present: Go services"], new DateTime(2026, 1, 15, 0, 0, 0, DateTimeKind.Utc));

        Assert.Equal(6, years.For(["go"]));
    }

    private static RequirementMatch Result(string importance, string status) => new("r", "skill", importance, null, ["r"], status, [], null);
}
