using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Billing.Stripe;

/// <summary>With Stripe switched on, everything a checkout and a webhook need must be set.</summary>
internal sealed class StripeOptionsValidator : IValidateOptions<StripeOptions>
{
    public ValidateOptionsResult Validate(string? name, StripeOptions options)
    {
        if (!options.Enabled)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.WebhookSecret))
        {
            failures.Add("Billing:Stripe:WebhookSecret is required with Billing:Stripe:SecretKey (the webhook endpoint's signing secret).");
        }

        if (string.IsNullOrWhiteSpace(options.SecretKey) && !File.Exists(options.SecretKeyFile))
        {
            failures.Add($"Billing:Stripe:SecretKeyFile '{options.SecretKeyFile}' does not exist.");
        }

        foreach (var (key, value) in new[] { ("SuccessUrl", options.SuccessUrl), ("CancelUrl", options.CancelUrl), ("PortalReturnUrl", options.PortalReturnUrl) })
        {
            if (value is not { IsAbsoluteUri: true })
            {
                failures.Add($"Billing:Stripe:{key} must be an absolute URL with Billing:Stripe:SecretKey.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
