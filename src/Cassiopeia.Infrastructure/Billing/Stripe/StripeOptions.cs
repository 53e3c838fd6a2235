using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Infrastructure.Billing.Stripe;

/// <summary>
/// Stripe (<c>Billing:Stripe</c>). Setting <see cref="SecretKey"/> switches billing from the local
/// provider to Stripe; keys come from the environment (<c>Billing__Stripe__SecretKey</c>) or a mounted
/// file, never from a settings file in the repository.
/// </summary>
public sealed class StripeOptions
{
    public const string SectionName = "Billing:Stripe";

    /// <summary>The secret API key (<c>sk_live_…</c>, <c>sk_test_…</c> or a restricted <c>rk_…</c>).</summary>
    public string? SecretKey { get; set; }

    /// <summary>A file holding the secret API key (a mounted secret); used when <see cref="SecretKey"/> is unset.</summary>
    public string? SecretKeyFile { get; set; }

    /// <summary>The signing secret of the webhook endpoint (<c>whsec_…</c>), from Stripe's dashboard.</summary>
    public string? WebhookSecret { get; set; }

    /// <summary>Stripe's API address; only changed to point at a stand-in (tests).</summary>
    public Uri? ApiBase { get; set; }

    /// <summary>Where Checkout sends the customer after paying (the front end's page).</summary>
    public Uri? SuccessUrl { get; set; }

    /// <summary>Where Checkout sends the customer who turns back.</summary>
    public Uri? CancelUrl { get; set; }

    /// <summary>Where the billing portal's "return" link leads.</summary>
    public Uri? PortalReturnUrl { get; set; }

    /// <summary>How old a webhook's signed timestamp may be (Stripe's recommendation: five minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "01:00:00")]
    public TimeSpan WebhookTolerance { get; set; } = TimeSpan.FromSeconds(300);

    /// <summary>Largest webhook body read; larger deliveries answer 413.</summary>
    [Range(1024, 4 * 1024 * 1024)]
    public int MaxWebhookBytes { get; set; } = 256 * 1024;

    /// <summary>Trial days given by checkout to an organization that never had a subscription (0: none).</summary>
    [Range(0, 365)]
    public int TrialDays { get; set; }

    public bool Enabled => !string.IsNullOrWhiteSpace(SecretKey) || !string.IsNullOrWhiteSpace(SecretKeyFile);

    public string ReadSecretKey() => SecretKey is { Length: > 0 } key ? key.Trim() : File.ReadAllText(SecretKeyFile!).Trim();
}
