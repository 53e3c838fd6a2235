namespace Cassiopeia.Core.Accounts;

public sealed class User
{
    public required string Id { get; init; }

    public required string Email { get; set; }

    /// <summary>Trimmed, lower-cased e-mail; unique.</summary>
    public required string NormalizedEmail { get; set; }

    public string? Name { get; set; }

    public required string PasswordHash { get; set; }

    public DateTime CreatedUtc { get; init; }

    public DateTime UpdatedUtc { get; set; }

    public static string Normalize(string email) => email.Trim().ToLowerInvariant();
}
