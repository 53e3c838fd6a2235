namespace Cassiopeia.Core.Accounts;

public sealed class Organization
{
    public required string Id { get; init; }

    public required string Name { get; set; }

    public DateTime CreatedUtc { get; init; }
}
