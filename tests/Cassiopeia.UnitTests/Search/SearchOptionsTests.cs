using Cassiopeia.Infrastructure.Search;

namespace Cassiopeia.UnitTests.Search;

public sealed class SearchOptionsTests
{
    [Theory]
    [InlineData(512, 2, 10, 512)]
    [InlineData(512, 2, 40, 512)]
    [InlineData(512, 2, 256, 512)]
    [InlineData(512, 2, 257, 514)]
    [InlineData(128, 4, 50, 200)]
    public void Candidate_list_is_ef_search_or_enough_per_result_asked_for(int efSearch, int perResult, int results, int expected) =>
        Assert.Equal(expected, new SearchOptions { EfSearch = efSearch, EfSearchPerResult = perResult }.EfSearchFor(results));

    [Fact]
    public void Build_threads_zero_means_every_processor()
    {
        Assert.Equal(Environment.ProcessorCount, new SearchOptions().Hnsw.BuildThreads);
        Assert.Equal(1, new SearchOptions { BuildThreads = 1 }.Hnsw.BuildThreads);
    }
}
