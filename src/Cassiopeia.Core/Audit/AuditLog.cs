using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Audit;

/// <summary>Adds audit events to the current unit of work, so they commit (or not) with the change they describe.</summary>
public sealed class AuditLog(AppDbContext db, Caller caller, TimeProvider time)
{
    public void Record(string action, string? organizationId, string? actorUserId, string? targetType = null, string? targetId = null, string? detail = null) =>
        db.AuditEvents.Add(new AuditEvent
        {
            Action = action,
            OrganizationId = organizationId,
            ActorUserId = actorUserId,
            TargetType = targetType,
            TargetId = targetId,
            Detail = detail,
            IpAddress = caller.IpAddress,
            OccurredUtc = time.GetUtcNow().UtcDateTime,
        });
}
