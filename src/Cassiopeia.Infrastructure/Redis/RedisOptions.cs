namespace Cassiopeia.Infrastructure.Redis;

/// <summary>
/// Section <c>Redis</c>: empty <see cref="ConnectionString"/> is the embedded profile (rate limits and the
/// data-protection key ring stay in this process and its data directory). Set, every node shares them
/// through this Redis (StackExchange.Redis configuration string, e.g. <c>redis:6379,password=…,ssl=true</c>).
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Redis";

    public string? ConnectionString { get; set; }

    /// <summary>Prefix of every key this application writes, so several deployments can share one Redis.</summary>
    public string KeyPrefix { get; set; } = "cassiopeia:";

    public bool Enabled => !string.IsNullOrWhiteSpace(ConnectionString);
}
