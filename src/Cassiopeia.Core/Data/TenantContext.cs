namespace Cassiopeia.Core.Data;

/// <summary>
/// The organization the current unit of work acts for. Set once per request by the web layer
/// (or per job by a worker); the data layer filters and stamps every organization-scoped row with it.
/// With no organization set, organization-scoped queries return nothing and writes are refused.
/// </summary>
public sealed class TenantContext
{
    public string? OrganizationId { get; private set; }

    public void Enter(string organizationId)
    {
        if (OrganizationId is not null && OrganizationId != organizationId)
        {
            throw new InvalidOperationException("The organization of a unit of work cannot change.");
        }

        OrganizationId = organizationId;
    }
}
