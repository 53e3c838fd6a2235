namespace Cassiopeia.Core.Billing;

/// <summary>The features a plan can include (<c>Billing:Plans:&lt;id&gt;:Features</c>); the server checks them where they apply.</summary>
public static class PlanFeatures
{
    public const string Search = "search";
    public const string Ask = "ask";
    public const string Interviews = "interviews";
    public const string ModelFeedback = "model-feedback";

    /// <summary><c>GET /v1/usage?by=member</c>: who in the organization used what.</summary>
    public const string MemberUsage = "member-usage";
}
