namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// The Redis that scripts/test.sh starts (host:port in CASSIOPEIA_TEST_REDIS). Without it the Redis
/// tests fail, never skip. Each caller gets its own key prefix, so test classes do not share counts.
/// </summary>
public static class TestRedis
{
    public const string Variable = "CASSIOPEIA_TEST_REDIS";

    public static string Endpoint
    {
        get
        {
            var endpoint = Environment.GetEnvironmentVariable(Variable);
            return string.IsNullOrEmpty(endpoint)
                ? throw new InvalidOperationException($"{Variable} is not set: run the suite with scripts/test.sh, which starts Redis.")
                : endpoint;
        }
    }

    /// <summary>Settings that select the test Redis under a fresh key prefix (or <paramref name="prefix"/>, to share one).</summary>
    public static Dictionary<string, string?> Settings(string? prefix = null) => new()
    {
        ["Redis:ConnectionString"] = Endpoint,
        ["Redis:KeyPrefix"] = prefix ?? NewPrefix(),
    };

    public static string NewPrefix() => $"test-{Guid.NewGuid():N}:";

    /// <summary>A loopback port nothing listens on: Redis configured but down.</summary>
    public static string DeadEndpoint()
    {
        using var socket = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        socket.Start();
        var port = ((System.Net.IPEndPoint)socket.LocalEndpoint).Port;
        socket.Stop();
        return $"127.0.0.1:{port},connectTimeout=500";
    }
}
