namespace Cassiopeia.Core.Audit;

/// <summary>An append-only record of a security-relevant action. Never updated or deleted by the application.</summary>
public sealed class AuditEvent
{
    public long Id { get; init; }

    /// <summary>The organization the event belongs to; null for events with no known account (a failed login for an unknown e-mail).</summary>
    public string? OrganizationId { get; init; }

    public string? ActorUserId { get; init; }

    public required string Action { get; init; }

    public string? TargetType { get; init; }

    public string? TargetId { get; init; }

    public string? IpAddress { get; init; }

    /// <summary>Short, non-secret detail (a scope list, a role change); never a password, token or key.</summary>
    public string? Detail { get; init; }

    public DateTime OccurredUtc { get; init; }
}
