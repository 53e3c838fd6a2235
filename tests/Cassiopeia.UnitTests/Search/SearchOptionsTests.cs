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
    public void In_the_largest_graphs_the_list_is_ef_search_or_enough_per_result_asked_for(int efSearch, int perResult, int results, int expected) =>
        Assert.Equal(expected, new SearchOptions { EfSearch = efSearch, EfSearchPerResult = perResult }.EfSearchFor(results, 5_000_000));

    [Theory]
    [InlineData(20_001, 128)]
    [InlineData(100_000, 128)]
    [InlineData(256_000, 128)]
    [InlineData(500_000, 250)]
    [InlineData(1_000_000, 500)]
    [InlineData(2_000_000, 512)]
    public void The_list_grows_with_the_graph_between_the_minimum_and_ef_search(int rows, int expected) =>
        Assert.Equal(expected, new SearchOptions().EfSearchFor(10, rows));

    [Fact]
    public void A_configured_ef_search_below_the_minimum_wins()
    {
        Assert.Equal(64, new SearchOptions { EfSearch = 64 }.EfSearchFor(10, 100_000));
    }

    [Fact]
    public void Build_threads_zero_means_every_processor()
    {
        Assert.Equal(Environment.ProcessorCount, new SearchOptions().Hnsw.BuildThreads);
        Assert.Equal(1, new SearchOptions { BuildThreads = 1 }.Hnsw.BuildThreads);
    }
}
