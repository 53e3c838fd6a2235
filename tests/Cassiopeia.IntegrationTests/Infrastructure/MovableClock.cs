namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>Real time plus an offset the test can move forward: time flows as usual and can also jump.</summary>
public sealed class MovableClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => base.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    public void Advance(TimeSpan by) => Interlocked.Add(ref _offsetTicks, by.Ticks);
}
