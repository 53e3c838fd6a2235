using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Billing;

/// <summary>The application billing through Stripe, with Stripe's API played by a real server on loopback.</summary>
public abstract class StripeBillingFixture(string provider) : ApiFixture(provider)
{
    public const string ProPrice = "price_pro_monthly";
    public const string TeamPrice = "price_team_monthly";
    public const int MaxWebhookBytes = 65_536;

    public FakeStripeServer Stripe { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Stripe.DisposeAsync();
    }

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        Stripe = await FakeStripeServer.StartAsync();
        return new Dictionary<string, string?>
        {
            ["Billing:Stripe:SecretKey"] = "sk_test_fake_key",
            ["Billing:Stripe:WebhookSecret"] = StripeWebhooks.Secret,
            ["Billing:Stripe:ApiBase"] = Stripe.ApiBase,
            ["Billing:Stripe:SuccessUrl"] = "https://app.example.test/billing/done",
            ["Billing:Stripe:CancelUrl"] = "https://app.example.test/billing",
            ["Billing:Stripe:PortalReturnUrl"] = "https://app.example.test/settings",
            ["Billing:Stripe:MaxWebhookBytes"] = MaxWebhookBytes.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Billing:Plans:pro:StripePriceId"] = ProPrice,
            ["Billing:Plans:team:StripePriceId"] = TeamPrice,
        };
    }
}

public sealed class SqliteStripeBillingFixture() : StripeBillingFixture("Sqlite");

public sealed class PostgresStripeBillingFixture() : StripeBillingFixture("Postgres");
