using System.Threading.RateLimiting;
using Cassiopeia.Infrastructure.Redis;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Cassiopeia.Api.RateLimiting;

/// <summary>
/// Fixed windows counted in Redis, so every node of the scale-out profile shares one count per
/// partition. A window starts at a partition's first request (the key's expiry is the window, set by
/// the first increment), so nodes need no agreement on the clock. While Redis is unreachable a partition
/// counts in this process instead (degraded: each node allows the limit), and a warning is logged at
/// most once per <see cref="WarningInterval"/>.
/// </summary>
public sealed partial class RedisRateLimiterFactory(
    IConnectionMultiplexer redis, IOptions<RedisOptions> options, InMemoryRateLimiterFactory fallback, TimeProvider time, ILogger<RedisRateLimiterFactory> logger) : IRateLimiterFactory
{
    public static readonly TimeSpan WarningInterval = TimeSpan.FromMinutes(1);

    // One round trip: count, start the window on the first request, answer the count and the time left.
    private static readonly LuaScript Script = LuaScript.Prepare("""
        local count = redis.call('INCR', @key)
        local ttl = redis.call('PTTL', @key)
        if ttl < 0 then
          redis.call('PEXPIRE', @key, @window)
          ttl = tonumber(@window)
        end
        return { count, ttl }
        """);

    private long _lastWarning = long.MinValue;

    public RateLimiter Create(RateLimitRule rule) => new RedisFixedWindowRateLimiter(this, rule, fallback.Create(rule));

    private async Task<FixedWindowDecision?> CountAsync(RateLimitRule rule)
    {
        if (!redis.IsConnected)
        {
            Warn(null);
            return null;
        }

        try
        {
            var result = (RedisResult[])(await redis.GetDatabase().ScriptEvaluateAsync(Script, new
            {
                key = (RedisKey)(options.Value.KeyPrefix + "ratelimit:" + rule.Key),
                window = (long)Math.Ceiling(rule.Window.TotalMilliseconds),
            }))!;
            return FixedWindowDecision.From((long)result[0], (long)result[1], rule.PermitLimit);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            Warn(e);
            return null;
        }
    }

    private void Warn(Exception? error)
    {
        var now = time.GetTimestamp();
        var last = Interlocked.Read(ref _lastWarning);
        if ((last == long.MinValue || time.GetElapsedTime(last, now) >= WarningInterval) && Interlocked.CompareExchange(ref _lastWarning, now, last) == last)
        {
            LogDegraded(logger, error);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Redis is unreachable: rate limits count per process until it is back.")]
    private static partial void LogDegraded(ILogger logger, Exception? error);

    /// <summary>One partition: Redis when reachable, else its in-process limiter (replenished by the partitioned limiter's timer).</summary>
    private sealed class RedisFixedWindowRateLimiter(RedisRateLimiterFactory factory, RateLimitRule rule, RateLimiter fallback) : ReplenishingRateLimiter
    {
        private int _available = rule.PermitLimit;
        private long _idleSince = Environment.TickCount64;

        // Idle while the in-process count (used while Redis is down) has nothing to lose.
        public override TimeSpan? IdleDuration => fallback.IdleDuration is null ? null : TimeSpan.FromMilliseconds(Environment.TickCount64 - Interlocked.Read(ref _idleSince));

        public override bool IsAutoReplenishing => false;

        public override TimeSpan ReplenishmentPeriod => rule.Window;

        public override bool TryReplenish() => fallback is ReplenishingRateLimiter replenishing && replenishing.TryReplenish();

        public override RateLimiterStatistics? GetStatistics() => new() { CurrentAvailablePermits = Volatile.Read(ref _available) };

        // The middleware tries synchronously first; the answer needs a round trip, so it always comes from AcquireAsync.
        protected override RateLimitLease AttemptAcquireCore(int permitCount) => FixedWindowLease.Refused;

        protected override async ValueTask<RateLimitLease> AcquireAsyncCore(int permitCount, CancellationToken cancellationToken)
        {
            Interlocked.Exchange(ref _idleSince, Environment.TickCount64);
            if (await factory.CountAsync(rule) is not { } decision)
            {
                var lease = await fallback.AcquireAsync(permitCount, cancellationToken);
                Volatile.Write(ref _available, (int)(fallback.GetStatistics()?.CurrentAvailablePermits ?? 0));
                return lease;
            }

            Volatile.Write(ref _available, decision.Remaining);
            return decision.Acquired ? FixedWindowLease.Granted : new FixedWindowLease(false, decision.ResetAfter);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                fallback.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    private sealed class FixedWindowLease(bool acquired, TimeSpan? retryAfter) : RateLimitLease
    {
        public static readonly FixedWindowLease Granted = new(true, null);
        public static readonly FixedWindowLease Refused = new(false, null);

        public override bool IsAcquired => acquired;

        public override IEnumerable<string> MetadataNames => retryAfter is null ? [] : [MetadataName.RetryAfter.Name];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = retryAfter is { } wait && metadataName == MetadataName.RetryAfter.Name ? wait : null;
            return metadata is not null;
        }
    }
}

/// <summary>What a fixed window's count means: the <paramref name="count"/>-th request of a window with <paramref name="remainingMilliseconds"/> left.</summary>
public readonly record struct FixedWindowDecision(bool Acquired, int Remaining, TimeSpan ResetAfter)
{
    public static FixedWindowDecision From(long count, long remainingMilliseconds, int permitLimit) => new(
        count <= permitLimit,
        (int)Math.Clamp(permitLimit - count, 0, permitLimit),
        TimeSpan.FromMilliseconds(Math.Max(1, remainingMilliseconds)));
}
