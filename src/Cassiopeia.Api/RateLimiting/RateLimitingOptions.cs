using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Api.RateLimiting;

/// <summary>
/// Section <c>RateLimiting</c>: requests allowed per <see cref="Window"/> (fixed windows). Callers (an
/// API key, else a user) get their organization's plan's <c>RequestsPerMinute</c>; the sign-up, login
/// and refresh endpoints are limited per client IP by <see cref="Auth"/>; other requests without a
/// caller per client IP by <see cref="Anonymous"/>. Each class can be switched off.
/// </summary>
public sealed class RateLimitingOptions
{
    public const string SectionName = "RateLimiting";

    public bool Enabled { get; set; } = true;

    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-up, login and refresh, per client IP: stricter, as these are what password guessing uses.</summary>
    public RateLimitClassOptions Auth { get; set; } = new() { PermitLimit = 20 };

    /// <summary>Per API key or user: <see cref="RateLimitClassOptions.PermitLimit"/> applies only to a user with no organization; otherwise the plan sets the limit.</summary>
    public RateLimitClassOptions Callers { get; set; } = new() { PermitLimit = 120 };

    /// <summary>Other requests without a caller (signed file URLs, unauthenticated calls), per client IP.</summary>
    public RateLimitClassOptions Anonymous { get; set; } = new() { PermitLimit = 600 };
}

public sealed class RateLimitClassOptions
{
    public bool Enabled { get; set; } = true;

    [Range(1, 100_000_000)]
    public int PermitLimit { get; set; } = 100;
}
