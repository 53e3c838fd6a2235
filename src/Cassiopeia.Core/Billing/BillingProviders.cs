namespace Cassiopeia.Core.Billing;

/// <summary>Names of the billing providers, as stored on subscriptions and billing events.</summary>
public static class BillingProviders
{
    public const string Stripe = "stripe";
    public const string Local = "local";
}
