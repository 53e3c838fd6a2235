namespace Cassiopeia.Core.Accounts;

/// <summary>
/// One refresh token of a rotation family. Only its SHA-256 is stored. Using it consumes it and
/// issues the next one in the same family; presenting a consumed token again is reuse, which
/// revokes the whole family (the token was stolen, or the client is confused: both must log in).
/// </summary>
public sealed class RefreshToken
{
    public required string Id { get; init; }

    public required string UserId { get; init; }

    public required string FamilyId { get; init; }

    public required string TokenHash { get; init; }

    public DateTime CreatedUtc { get; init; }

    public DateTime ExpiresUtc { get; init; }

    public DateTime? ConsumedUtc { get; set; }

    public DateTime? RevokedUtc { get; set; }
}
