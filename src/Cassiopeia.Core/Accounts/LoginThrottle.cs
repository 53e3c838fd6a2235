namespace Cassiopeia.Core.Accounts;

/// <summary>
/// Failed-login counter per normalized e-mail, kept whether or not an account exists, so that
/// lockout behaves the same for unknown addresses and does not reveal which ones are registered.
/// </summary>
public sealed class LoginThrottle
{
    public required string NormalizedEmail { get; init; }

    public int Failures { get; set; }

    public DateTime WindowStartUtc { get; set; }

    public DateTime? LockedUntilUtc { get; set; }
}
