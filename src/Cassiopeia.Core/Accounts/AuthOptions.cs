using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Core.Accounts;

/// <summary>Token lifetimes and login protection. Section <c>Auth</c>.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Auth";

    /// <summary>Issuer and audience written into and required of every access token.</summary>
    /// <summary>
    /// A base64 signing key of at least 256 bits, from the environment (<c>Auth__SigningKey</c>) or a
    /// secret store. When unset, keys are read from <see cref="SigningKeysFile"/>, which is created
    /// on first start with owner-only permissions.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>Key id written as <c>kid</c> for <see cref="SigningKey"/>.</summary>
    public string SigningKeyId { get; set; } = "env-1";

    /// <summary>JSON key ring (newest last); defaults to <c>keys/jwt-signing-keys.json</c> in the data directory.</summary>
    public string? SigningKeysFile { get; set; }

    [Required]
    public string Issuer { get; set; } = "cassiopeia";

    [Required]
    public string Audience { get; set; } = "cassiopeia-api";

    [Range(typeof(TimeSpan), "00:01:00", "01:00:00")]
    public TimeSpan AccessTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "01:00:00", "365.00:00:00")]
    public TimeSpan RefreshTokenLifetime { get; set; } = TimeSpan.FromDays(30);

    /// <summary>PBKDF2 iterations; never below the OWASP minimum of 210,000.</summary>
    [Range(PasswordHasher.MinimumIterations, PasswordHasher.MaximumIterations)]
    public int PasswordIterations { get; set; } = PasswordHasher.MinimumIterations;

    [Range(1, 100)]
    public int LockoutThreshold { get; set; } = 5;

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutWindow { get; set; } = TimeSpan.FromMinutes(15);

    [Range(typeof(TimeSpan), "00:01:00", "1.00:00:00")]
    public TimeSpan LockoutDuration { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Tolerated clock difference when validating token times.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:05:00")]
    public TimeSpan ClockSkew { get; set; } = TimeSpan.FromSeconds(30);
}
