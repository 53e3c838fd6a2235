using Cassiopeia.Core.Jobs;

namespace Cassiopeia.UnitTests.Ingestion;

public sealed class JobBatchTests
{
    private static LeasedJob Job(string organization, int n) =>
        new($"job-{organization}-{n}", organization, $"doc-{organization}-{n}", 1, "lease", DateTime.UtcNow, null);

    [Fact]
    public void A_batch_never_mixes_organizations()
    {
        var claimed = new[] { Job("a", 1), Job("b", 1), Job("a", 2), Job("b", 2), Job("a", 3) };

        var batches = IngestionWorker.Batches(claimed, slots: 1, batchSize: 16).ToList();

        Assert.Equal(2, batches.Count);
        Assert.All(batches, b => Assert.Single(b.Select(j => j.OrganizationId).Distinct()));
        Assert.Equal(claimed.OrderBy(j => j.Id), batches.SelectMany(b => b).OrderBy(j => j.Id));
    }

    [Fact]
    public void Jobs_that_fit_one_batch_stay_together_however_many_slots_are_free()
    {
        var claimed = Enumerable.Range(0, 7).Select(n => Job("a", n)).ToArray();

        var batches = IngestionWorker.Batches(claimed, slots: 3, batchSize: 16).ToList();

        Assert.Equal(7, Assert.Single(batches).Count);
    }

    [Fact]
    public void More_than_a_batch_of_jobs_is_spread_evenly_over_the_free_slots()
    {
        var claimed = Enumerable.Range(0, 20).Select(n => Job("a", n)).ToArray();

        var batches = IngestionWorker.Batches(claimed, slots: 3, batchSize: 16).ToList();

        Assert.Equal([10, 10], batches.Select(b => b.Count));
    }

    [Fact]
    public void A_long_backlog_fills_batches_up_to_the_batch_size()
    {
        var claimed = Enumerable.Range(0, 40).Select(n => Job("a", n)).ToArray();

        var batches = IngestionWorker.Batches(claimed, slots: 2, batchSize: 16).ToList();

        Assert.Equal([16, 16, 8], batches.Select(b => b.Count));
        Assert.Equal(40, batches.SelectMany(b => b).Select(j => j.Id).Distinct().Count());
    }
}
