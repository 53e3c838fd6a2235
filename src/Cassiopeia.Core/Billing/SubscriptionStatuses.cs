namespace Cassiopeia.Core.Billing;

/// <summary>Subscription statuses, named as Stripe names them (the local provider uses the same names).</summary>
public static class SubscriptionStatuses
{
    /// <summary>No subscription: the organization is on the default plan.</summary>
    public const string None = "none";
    public const string Active = "active";
    public const string Trialing = "trialing";
    public const string PastDue = "past_due";
    public const string Canceled = "canceled";
    public const string Unpaid = "unpaid";
    public const string Incomplete = "incomplete";
    public const string IncompleteExpired = "incomplete_expired";
    public const string Paused = "paused";

    /// <summary>Statuses of a subscription that still runs and bills (a second one must not be bought beside it).</summary>
    public static bool IsLive(string status) => status is Active or Trialing or PastDue or Unpaid or Incomplete or Paused;
}
