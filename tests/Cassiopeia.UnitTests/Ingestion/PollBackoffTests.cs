using Cassiopeia.Core.Jobs;

namespace Cassiopeia.UnitTests.Ingestion;

public sealed class PollBackoffTests
{
    [Fact]
    public void The_pause_after_failed_polls_doubles_from_the_poll_interval_and_stops_at_eight_seconds()
    {
        var interval = TimeSpan.FromMilliseconds(250);
        Assert.Equal(
            [0.25, 0.5, 1, 2, 4, 8, 8],
            Enumerable.Range(1, 7).Select(n => IngestionWorker.PollBackoff(interval, n).TotalSeconds));
        Assert.Equal(TimeSpan.FromSeconds(8), IngestionWorker.PollBackoff(interval, 1000));
    }

    [Fact]
    public void A_poll_interval_longer_than_the_cap_is_kept()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), IngestionWorker.PollBackoff(TimeSpan.FromSeconds(30), 5));
    }
}
