using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Usage;

/// <summary>
/// How much of one metric an organization has used in one billing period. A new period starts a new
/// row, so limits reset without a job; the limit itself is never stored: it is read from the plan in
/// force at the moment of use, so a change of plan takes effect at once.
/// </summary>
public sealed class QuotaCounter : IOrganizationScoped
{
    public required string OrganizationId { get; set; }

    public required string Metric { get; init; }

    public DateTime PeriodStartUtc { get; init; }

    public long Used { get; init; }
}
