using Cassiopeia.Api.RateLimiting;

namespace Cassiopeia.UnitTests.RateLimiting;

public sealed class FixedWindowDecisionTests
{
    [Theory]
    [InlineData(1, 5, true, 4)]
    [InlineData(4, 5, true, 1)]
    [InlineData(5, 5, true, 0)]
    [InlineData(6, 5, false, 0)]
    [InlineData(1000, 5, false, 0)]
    [InlineData(1, 1, true, 0)]
    public void The_nth_request_of_a_window_is_allowed_up_to_the_limit(long count, int limit, bool acquired, int remaining)
    {
        var decision = FixedWindowDecision.From(count, 30_000, limit);

        Assert.Equal(acquired, decision.Acquired);
        Assert.Equal(remaining, decision.Remaining);
        Assert.Equal(TimeSpan.FromSeconds(30), decision.ResetAfter);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-2)]
    public void A_window_about_to_end_still_asks_to_wait_a_moment(long remainingMilliseconds)
    {
        Assert.Equal(TimeSpan.FromMilliseconds(1), FixedWindowDecision.From(6, remainingMilliseconds, 5).ResetAfter);
    }
}
