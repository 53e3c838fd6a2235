using Cassiopeia.Core.Ingestion;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.DataProtection.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Cassiopeia.Infrastructure.Redis;

public static class RedisServices
{
    /// <summary>Whether <c>Redis:ConnectionString</c> is set (the scale-out profile).</summary>
    public static bool IsRedisConfigured(this IConfiguration configuration) =>
        configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>()?.Enabled == true;

    /// <summary>
    /// With <c>Redis:ConnectionString</c> set: one <see cref="IConnectionMultiplexer"/> that does not abort
    /// when Redis is down at start (the service starts and serves; it reconnects in the background), the
    /// data-protection key ring in Redis, document events published to every node, and a <c>redis</c> readiness check that reports Degraded, not
    /// Unhealthy, while Redis is unreachable. Without it nothing is registered.
    /// </summary>
    public static IServiceCollection AddRedis(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        if (!configuration.IsRedisConfigured())
        {
            return services;
        }

        services.AddSingleton<IConnectionMultiplexer>(sp => Connect(sp.GetRequiredService<IOptions<RedisOptions>>().Value.ConnectionString!));
        services.AddOptions<KeyManagementOptions>().Configure<IConnectionMultiplexer, IOptions<RedisOptions>>((o, redis, options) =>
            o.XmlRepository = new RedisXmlRepository(() => redis.GetDatabase(), options.Value.KeyPrefix + "data-protection-keys"));
        services.AddSingleton<RedisDocumentEventChannel>();
        services.AddSingleton<IDocumentEventChannel>(sp => sp.GetRequiredService<RedisDocumentEventChannel>());
        services.AddHostedService(sp => sp.GetRequiredService<RedisDocumentEventChannel>());
        services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", failureStatus: HealthStatus.Degraded, tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Connects without failing when Redis is down; commands issued while disconnected fail at once
    /// (no backlog), so callers fall back instead of waiting for a timeout on every request.
    /// </summary>
    public static ConnectionMultiplexer Connect(string connectionString)
    {
        var options = ConfigurationOptions.Parse(connectionString);
        options.AbortOnConnectFail = false;
        options.BacklogPolicy = BacklogPolicy.FailFast;
        return ConnectionMultiplexer.Connect(options);
    }
}

/// <summary>Pings Redis; unreachable is Degraded: the node keeps taking traffic with per-process limits.</summary>
internal sealed class RedisHealthCheck(IConnectionMultiplexer redis) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        if (!redis.IsConnected)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis is not connected: rate limits count per process.");
        }

        try
        {
            var latency = await redis.GetDatabase().PingAsync().WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
            return HealthCheckResult.Healthy($"ping {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            return new HealthCheckResult(context.Registration.FailureStatus, "Redis did not answer: rate limits count per process.", e);
        }
    }
}
