namespace Cassiopeia.Bench.Ingestion;

/// <summary>
/// When a side (the server, or the floor in process) counts as warm: after the fixed warm-up rounds,
/// rounds of fresh documents continue until one of them, with the pause after it, costs that side's
/// JIT less than <see cref="QuietSeconds"/>. The JIT promotes a method to its optimised tier only after
/// it has been called 30 times with no new methods compiled for 100 ms, so a fixed warm-up can end
/// just before the promotions: a profile of the server showed its tiering thread using most of a core
/// for the first 5 s of the timed run. The same rule on both sides keeps the ratio fair.
/// </summary>
public static class JitSettling
{
    public const int RoundSize = 500;
    public const int MaxRounds = 12;
    public const double QuietSeconds = 0.05;
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(2);

    /// <summary>Runs settling rounds until one is quiet; the JIT seconds each round cost.</summary>
    public static async Task<IReadOnlyList<double>> SettleAsync(Func<int, Task> round, Func<Task<double>> jitSeconds, CancellationToken ct)
    {
        var spent = new List<double>();
        for (var number = 1; number <= MaxRounds; number++)
        {
            var before = await jitSeconds();
            await round(number);
            await Task.Delay(Pause, ct);
            spent.Add(Math.Round(await jitSeconds() - before, 3));
            if (spent[^1] < QuietSeconds)
            {
                break;
            }
        }

        return spent;
    }
}
