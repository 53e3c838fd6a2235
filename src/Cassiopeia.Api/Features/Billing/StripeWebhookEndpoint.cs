using System.Text;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Infrastructure.Billing.Stripe;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.Features.Billing;

public static class StripeWebhookEndpoint
{
    public const string SignatureHeader = "Stripe-Signature";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static IEndpointRouteBuilder MapStripeWebhookEndpoint(this IEndpointRouteBuilder app)
    {
        var maxBody = app.ServiceProvider.GetRequiredService<IOptions<StripeOptions>>().Value.MaxWebhookBytes;
        app.MapPost("/v1/billing/webhooks/stripe", ReceiveAsync).WithName("StripeWebhook").WithTags("Billing").AllowAnonymous()
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(maxBody));
        return app;
    }

    /// <summary>
    /// A Stripe event, verified by its <c>Stripe-Signature</c> and processed exactly once (a replay answers
    /// 200 and changes nothing). The body is read as the raw bytes Stripe signed. 404 while Stripe is not configured.
    /// </summary>
    internal static async Task<Results<Ok<WebhookReceived>, ProblemHttpResult>> ReceiveAsync(HttpContext context, IOptions<StripeOptions> options, CancellationToken ct)
    {
        if (!options.Value.Enabled)
        {
            return Error.NotFound("Stripe webhook endpoint (Stripe is not configured)").ToProblem();
        }

        var body = await ReadAsync(context.Request.Body, options.Value.MaxWebhookBytes, ct);
        if (body is null)
        {
            return new Error(ErrorKind.TooLarge, "payload-too-large", $"The body is larger than {options.Value.MaxWebhookBytes} bytes.").ToProblem();
        }

        string payload;
        try
        {
            payload = StrictUtf8.GetString(body);
        }
        catch (DecoderFallbackException)
        {
            return new Error(ErrorKind.Validation, "invalid-event", "The body is not UTF-8.").ToProblem();
        }

        var receiver = context.RequestServices.GetRequiredService<StripeWebhookReceiver>();
        var result = await receiver.ReceiveAsync(payload, context.Request.Headers[SignatureHeader].ToString(), ct);
        return result.Succeeded ? TypedResults.Ok(new WebhookReceived(true, result.Value.ToString().ToLowerInvariant())) : result.Error!.ToProblem();
    }

    /// <summary>The whole body, or null when it is longer than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadAsync(Stream body, int limit, CancellationToken ct)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        int read;
        while ((read = await body.ReadAsync(chunk, ct)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }
}

/// <param name="Outcome"><c>applied</c>, <c>unchanged</c>, <c>stale</c>, <c>ignored</c> or <c>replayed</c>.</param>
public sealed record WebhookReceived(bool Received, string Outcome);
