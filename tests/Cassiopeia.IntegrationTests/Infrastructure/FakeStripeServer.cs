using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>One call the fake Stripe API received: the form fields as Stripe.net encoded them (<c>line_items[0][price]</c>).</summary>
public sealed record FakeStripeRequest(string Method, string Path, IReadOnlyDictionary<string, string> Form, string? IdempotencyKey, string Authorization)
{
    /// <summary>The JSON the fake answered.</summary>
    public string Response { get; set; } = "";

    public string ResponseField(string name) => System.Text.Json.JsonDocument.Parse(Response).RootElement.GetProperty(name).GetString()!;
}

/// <summary>
/// A real HTTP server on a loopback port speaking enough of Stripe's API for billing: customers,
/// checkout sessions, billing portal sessions (form-encoded POSTs answered with Stripe's JSON objects,
/// the same answer for a repeated <c>Idempotency-Key</c>, as Stripe does) and <c>GET /v1/subscriptions/{id}</c>
/// serving what the test put in <see cref="Subscriptions"/>. It records every request.
/// </summary>
public sealed class FakeStripeServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, string> _byIdempotencyKey = new(StringComparer.Ordinal);
    private int _sequence;

    private FakeStripeServer(WebApplication app) => _app = app;

    public string ApiBase { get; private set; } = "";

    public ConcurrentQueue<FakeStripeRequest> Requests { get; } = new();

    /// <summary>Subscriptions as Stripe's API returns them, by id.</summary>
    public ConcurrentDictionary<string, JsonObject> Subscriptions { get; } = new(StringComparer.Ordinal);

    /// <summary>When set, the next calls answer this status with a Stripe error body.</summary>
    public int? FailWith { get; set; }

    public static async Task<FakeStripeServer> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var server = new FakeStripeServer(app);
        app.Run(server.HandleAsync);
        await app.StartAsync();
        server.ApiBase = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return server;
    }

    public IReadOnlyList<FakeStripeRequest> To(string method, string path) =>
        Requests.Where(r => r.Method == method && r.Path == path).ToList();

    /// <summary>A subscription object shaped like Stripe's (API 2026: the period lives on the item).</summary>
    public static JsonObject Subscription(
        string id, string customerId, string priceId, string status, DateTimeOffset periodStart, DateTimeOffset periodEnd,
        bool cancelAtPeriodEnd = false, DateTimeOffset? trialEnd = null, string? organizationId = null) => new()
        {
            ["id"] = id,
            ["object"] = "subscription",
            ["customer"] = customerId,
            ["status"] = status,
            ["cancel_at_period_end"] = cancelAtPeriodEnd,
            ["cancel_at"] = null,
            ["canceled_at"] = status == "canceled" ? periodStart.ToUnixTimeSeconds() : null,
            ["trial_end"] = trialEnd?.ToUnixTimeSeconds(),
            ["livemode"] = false,
            ["metadata"] = organizationId is null ? new JsonObject() : new JsonObject { ["organization_id"] = organizationId },
            ["items"] = new JsonObject
            {
                ["object"] = "list",
                ["data"] = new JsonArray(new JsonObject
                {
                    ["id"] = "si_" + id,
                    ["object"] = "subscription_item",
                    ["quantity"] = 1,
                    ["price"] = new JsonObject { ["id"] = priceId, ["object"] = "price", ["currency"] = "usd" },
                    ["current_period_start"] = periodStart.ToUnixTimeSeconds(),
                    ["current_period_end"] = periodEnd.ToUnixTimeSeconds(),
                }),
            },
        };

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var form = new Dictionary<string, string>(StringComparer.Ordinal);
        if (HttpMethods.IsPost(context.Request.Method))
        {
            using var reader = new StreamReader(context.Request.Body);
            foreach (var (field, value) in QueryHelpers.ParseQuery(await reader.ReadToEndAsync()))
            {
                form[field] = value.ToString();
            }
        }

        var path = context.Request.Path.Value ?? "";
        var key = context.Request.Headers["Idempotency-Key"].ToString();
        var request = new FakeStripeRequest(context.Request.Method, path, form, key.Length > 0 ? key : null, context.Request.Headers.Authorization.ToString());
        Requests.Enqueue(request);
        if (FailWith is { } status)
        {
            await Answer(context, request, status, new JsonObject { ["error"] = new JsonObject { ["type"] = "api_error", ["message"] = "The fake was told to fail." } }.ToJsonString());
            return;
        }

        if (key.Length > 0 && _byIdempotencyKey.TryGetValue(path + " " + key, out var earlier))
        {
            await Answer(context, request, 200, earlier);
            return;
        }

        var n = Interlocked.Increment(ref _sequence).ToString(CultureInfo.InvariantCulture);
        JsonObject? body = (context.Request.Method, path) switch
        {
            ("POST", "/v1/customers") => new JsonObject
            {
                ["id"] = "cus_fake" + n,
                ["object"] = "customer",
                ["name"] = form.GetValueOrDefault("name"),
                ["metadata"] = new JsonObject { ["organization_id"] = form.GetValueOrDefault("metadata[organization_id]") },
            },
            ("POST", "/v1/checkout/sessions") => new JsonObject
            {
                ["id"] = "cs_test_" + n,
                ["object"] = "checkout.session",
                ["mode"] = form.GetValueOrDefault("mode"),
                ["customer"] = form.GetValueOrDefault("customer"),
                ["client_reference_id"] = form.GetValueOrDefault("client_reference_id"),
                ["url"] = "https://checkout.stripe.test/c/pay/cs_test_" + n,
                ["status"] = "open",
            },
            ("POST", "/v1/billing_portal/sessions") => new JsonObject
            {
                ["id"] = "bps_" + n,
                ["object"] = "billing_portal.session",
                ["customer"] = form.GetValueOrDefault("customer"),
                ["return_url"] = form.GetValueOrDefault("return_url"),
                ["url"] = "https://billing.stripe.test/p/session/bps_" + n,
            },
            ("GET", _) when path.StartsWith("/v1/subscriptions/", StringComparison.Ordinal)
                && Subscriptions.TryGetValue(path["/v1/subscriptions/".Length..], out var subscription) => subscription,
            _ => null,
        };
        if (body is null)
        {
            await Answer(context, request, 404, new JsonObject { ["error"] = new JsonObject { ["type"] = "invalid_request_error", ["code"] = "resource_missing", ["message"] = "No such object." } }.ToJsonString());
            return;
        }

        var json = body.ToJsonString();
        if (key.Length > 0)
        {
            json = _byIdempotencyKey.GetOrAdd(path + " " + key, json);
        }

        await Answer(context, request, 200, json);
    }

    private static async Task Answer(HttpContext context, FakeStripeRequest request, int status, string json)
    {
        request.Response = json;
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json);
    }
}
