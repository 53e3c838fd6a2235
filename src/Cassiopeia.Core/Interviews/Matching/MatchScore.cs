namespace Cassiopeia.Core.Interviews.Matching;

/// <summary>
/// The match score: weighted coverage of the requirements,
/// <c>round(100 × Σ wᵢ·vᵢ / Σ wᵢ)</c>, where a required requirement weighs
/// <see cref="RequiredWeight"/> and a preferred one <see cref="PreferredWeight"/>, and
/// <c>v</c> is 1 for met, 0.5 for partial and 0 for missing. No requirements scores 0.
/// </summary>
public static class MatchScore
{
    public const double RequiredWeight = 2;
    public const double PreferredWeight = 1;

    public static int Of(IReadOnlyList<RequirementMatch> requirements)
    {
        var total = requirements.Sum(Weight);
        if (total == 0)
        {
            return 0;
        }

        var covered = requirements.Sum(r => Weight(r) * Value(r.Status));
        return (int)Math.Round(100 * covered / total, MidpointRounding.AwayFromZero);
    }

    public static double Weight(RequirementMatch requirement) =>
        requirement.Importance == Requirements.RequirementImportance.Required ? RequiredWeight : PreferredWeight;

    public static double Value(string status) => status switch
    {
        MatchStatuses.Met => 1,
        MatchStatuses.Partial => 0.5,
        _ => 0,
    };
}
