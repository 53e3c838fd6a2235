using Cassiopeia.Core.Common;

namespace Cassiopeia.Core.Billing;

/// <summary>
/// Where plans are bought and managed: Stripe when <c>Billing:Stripe:SecretKey</c> is set, else the
/// local provider, which completes checkouts in the application itself (embedded profile, offline).
/// </summary>
public interface IBillingProvider
{
    /// <summary><see cref="BillingProviders.Stripe"/> or <see cref="BillingProviders.Local"/>.</summary>
    string Name { get; }

    /// <summary>Why <paramref name="plan"/> cannot be bought through this provider, or null when it can.</summary>
    string? WhyNotForSale(string planId, PlanDefinition plan);

    /// <summary>A URL where the current organization's owner buys <paramref name="planId"/>.</summary>
    Task<Result<string>> CreateCheckoutAsync(string planId, PlanDefinition plan, CancellationToken ct);

    /// <summary>A URL where the current organization's owner manages (or cancels) the subscription.</summary>
    Task<Result<string>> CreatePortalAsync(CancellationToken ct);
}
