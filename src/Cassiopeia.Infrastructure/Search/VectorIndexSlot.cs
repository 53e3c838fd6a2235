namespace Cassiopeia.Infrastructure.Search;

/// <summary>The current collection of one (organization, model) and the turn its single writer takes.</summary>
internal sealed class VectorIndexSlot
{
    private VectorCollection? _current;

    /// <summary>Held while changing the collection (delta, swap after a build, snapshot): one writer at a time.</summary>
    public SemaphoreSlim Writer { get; } = new(1, 1);

    /// <summary>Searches read this reference once; a build swaps in a new collection without waiting for them.</summary>
    public VectorCollection? Current
    {
        get => Volatile.Read(ref _current);
        set => Volatile.Write(ref _current, value);
    }

    /// <summary>A build or compaction is running in the background.</summary>
    public int Building;

    /// <summary>When the organization's chunks were last counted (<see cref="System.Diagnostics.Stopwatch"/> ticks).</summary>
    public long CountedAt;

    /// <summary>Rows added or tombstoned since the last snapshot.</summary>
    public int ChangesSinceSnapshot;
}
