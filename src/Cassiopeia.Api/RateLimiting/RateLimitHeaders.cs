namespace Cassiopeia.Api.RateLimiting;

/// <summary>The rate-limit headers of draft-ietf-httpapi-ratelimit-headers.</summary>
public static class RateLimitHeaders
{
    public const string Limit = "RateLimit-Limit";
    public const string Remaining = "RateLimit-Remaining";
    public const string Reset = "RateLimit-Reset";
}
