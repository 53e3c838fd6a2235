namespace Cassiopeia.Bench;

/// <summary>The load generator's HTTP settings, shared by every kind of run: no cookies, proxy or redirects, connections kept.</summary>
public static class BenchHttp
{
    public static SocketsHttpHandler Handler(int maxConnections, TimeSpan connectTimeout) => new()
    {
        MaxConnectionsPerServer = maxConnections,
        PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
        PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5),
        AutomaticDecompression = System.Net.DecompressionMethods.None,
        UseCookies = false,
        UseProxy = false,
        AllowAutoRedirect = false,
        ConnectTimeout = connectTimeout,
    };
}
