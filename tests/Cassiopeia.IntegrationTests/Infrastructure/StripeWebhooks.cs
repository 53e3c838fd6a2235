using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>Stripe events and their signatures, made exactly as Stripe makes them.</summary>
public static class StripeWebhooks
{
    public const string Secret = "whsec_test_b1ll1ng_s3cret";

    public static string Event(string type, JsonObject data, DateTimeOffset created, string? id = null) => new JsonObject
    {
        ["id"] = id ?? "evt_" + Guid.NewGuid().ToString("N"),
        ["object"] = "event",
        ["api_version"] = global::Stripe.StripeConfiguration.ApiVersion,
        ["created"] = created.ToUnixTimeSeconds(),
        ["livemode"] = false,
        ["pending_webhooks"] = 1,
        ["type"] = type,
        ["request"] = new JsonObject { ["id"] = null, ["idempotency_key"] = null },
        ["data"] = new JsonObject { ["object"] = data },
    }.ToJsonString();

    /// <summary><c>t=&lt;unix&gt;,v1=&lt;hex HMAC-SHA256 of "t.payload" under the secret&gt;</c>.</summary>
    public static string Sign(string payload, DateTimeOffset at, string secret = Secret)
    {
        var t = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(t + "." + payload));
        return $"t={t},v1={Convert.ToHexStringLower(mac)}";
    }

    public static JsonObject CheckoutSession(string customerId, string subscriptionId, string organizationId) => new()
    {
        ["id"] = "cs_test_" + Guid.NewGuid().ToString("N")[..8],
        ["object"] = "checkout.session",
        ["mode"] = "subscription",
        ["status"] = "complete",
        ["customer"] = customerId,
        ["subscription"] = subscriptionId,
        ["client_reference_id"] = organizationId,
        ["metadata"] = new JsonObject { ["organization_id"] = organizationId, ["plan_id"] = "pro" },
    };

    public static JsonObject Invoice(string customerId, string subscriptionId, string status) => new()
    {
        ["id"] = "in_" + Guid.NewGuid().ToString("N")[..8],
        ["object"] = "invoice",
        ["customer"] = customerId,
        ["status"] = status,
        ["parent"] = new JsonObject
        {
            ["type"] = "subscription_details",
            ["subscription_details"] = new JsonObject { ["subscription"] = subscriptionId, ["metadata"] = new JsonObject() },
        },
    };
}
