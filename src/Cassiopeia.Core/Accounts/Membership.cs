namespace Cassiopeia.Core.Accounts;

/// <summary>
/// A user's role in an organization. Memberships are the source of tenancy, so they are not
/// filtered by the current organization: use cases always query them by user or organization.
/// </summary>
public sealed class Membership
{
    public required string OrganizationId { get; init; }

    public required string UserId { get; init; }

    public Role Role { get; set; }

    public DateTime CreatedUtc { get; init; }
}
