namespace Cassiopeia.Infrastructure.Search.Hnsw;

/// <summary>Shape of an HNSW graph (Malkov &amp; Yashunin, 2016); set from <see cref="SearchOptions"/>.</summary>
public sealed record HnswParameters
{
    /// <summary>Links per node on the upper layers (twice as many on layer 0). More links: better recall, more memory, slower build.</summary>
    public int M { get; init; } = 16;

    /// <summary>Candidate list size while inserting. Higher builds a better graph, proportionally slower.</summary>
    public int EfConstruction { get; init; } = 100;

    /// <summary>Threads inserting at once during a full build. 1 builds the same graph from the same inserts every time.</summary>
    public int BuildThreads { get; init; } = 1;

    /// <summary>Seed of the level generator, so the same inserts build the same graph.</summary>
    public ulong Seed { get; init; } = 0x5EED_CA55_10FE_1A00;
}
