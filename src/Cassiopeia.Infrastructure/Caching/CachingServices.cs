using Cassiopeia.Infrastructure.Redis;
using Microsoft.Extensions.Caching.StackExchangeRedis;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Cassiopeia.Infrastructure.Caching;

public static class CachingServices
{
    /// <summary>
    /// One <see cref="Microsoft.Extensions.Caching.Hybrid.HybridCache"/>: in-process always, with Redis as
    /// its second level when <c>Redis:ConnectionString</c> is set (keys under <c>{KeyPrefix}cache:</c>), so
    /// what one node read from the database serves the others. It goes through the shared fail-fast
    /// connection: while Redis is down a miss costs no timeout, the cache works in-process and logs the
    /// failed Redis reads.
    /// </summary>
    public static IServiceCollection AddCaching(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddHybridCache();
        if (configuration.IsRedisConfigured())
        {
            services.AddStackExchangeRedisCache(_ => { });
            services.AddOptions<RedisCacheOptions>().Configure<IConnectionMultiplexer, IOptions<RedisOptions>>((o, redis, options) =>
            {
                o.ConnectionMultiplexerFactory = () => Task.FromResult(redis);
                o.InstanceName = options.Value.KeyPrefix + "cache:";
            });
        }

        return services;
    }
}
