using System.Threading.RateLimiting;

namespace Cassiopeia.Api.RateLimiting;

/// <summary>One partition's limit: who it counts (<see cref="Key"/>), how many requests per window.</summary>
/// <param name="Key">The partition, e.g. <c>key:&lt;id&gt;</c>, <c>user:&lt;id&gt;:&lt;org&gt;</c> or <c>auth:&lt;ip&gt;</c>, with the limit in it so a change of plan starts a new count.</param>
/// <param name="Class">What kind of caller: <c>auth</c>, <c>key</c>, <c>user</c> or <c>ip</c>.</param>
public sealed record RateLimitRule(string Key, string Class, int PermitLimit, TimeSpan Window);

/// <summary>
/// Makes the limiter of one partition; the application's partitioned limiter asks once per partition
/// key, keeps it while in use and disposes it when idle. The embedded profile counts in this process
/// (<see cref="InMemoryRateLimiterFactory"/>); the scale-out profile replaces this registration with a
/// limiter whose counts live in Redis, so every node shares them.
/// </summary>
public interface IRateLimiterFactory
{
    RateLimiter Create(RateLimitRule rule);
}

/// <summary>Fixed windows counted in this process (replenished by the partitioned limiter's timer).</summary>
public sealed class InMemoryRateLimiterFactory : IRateLimiterFactory
{
    public RateLimiter Create(RateLimitRule rule) => new FixedWindowRateLimiter(new FixedWindowRateLimiterOptions
    {
        PermitLimit = rule.PermitLimit,
        Window = rule.Window,
        QueueLimit = 0,
        AutoReplenishment = false,
    });
}
