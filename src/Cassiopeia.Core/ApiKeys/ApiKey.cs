using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.ApiKeys;

public sealed class ApiKey : IOrganizationScoped
{
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    /// <summary>The member who created the key; the key never acts with more than this member's role.</summary>
    public required string UserId { get; init; }

    public required string Name { get; set; }

    /// <summary>Public, unique part of the key used to find it; safe to show and log.</summary>
    public required string Prefix { get; init; }

    /// <summary>SHA-256 of the whole key. Keys are 256-bit random, so a fast hash is enough.</summary>
    public required byte[] SecretHash { get; init; }

    /// <summary>Space-separated scopes.</summary>
    public required string Scopes { get; set; }

    public DateTime CreatedUtc { get; init; }

    public DateTime? ExpiresUtc { get; set; }

    public DateTime? RevokedUtc { get; set; }

    public DateTime? LastUsedUtc { get; set; }
}
