using Cassiopeia.Core.Billing;
using Cassiopeia.Infrastructure.Billing.Local;
using Cassiopeia.Infrastructure.Billing.Stripe;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Stripe;

namespace Cassiopeia.Infrastructure.Billing;

public static partial class BillingServices
{
    /// <summary>
    /// Registers the billing provider chosen by configuration: Stripe when <c>Billing:Stripe:SecretKey</c>
    /// (or <c>SecretKeyFile</c>) is set, else the local provider.
    /// </summary>
    public static IServiceCollection AddBilling(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StripeOptions>().Bind(configuration.GetSection(StripeOptions.SectionName)).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StripeOptions>, StripeOptionsValidator>();
        var stripe = configuration.GetSection(StripeOptions.SectionName).Get<StripeOptions>() ?? new StripeOptions();
        if (stripe.Enabled)
        {
            services.AddSingleton(sp =>
            {
                var options = sp.GetRequiredService<IOptions<StripeOptions>>().Value;
                var logger = sp.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(BillingServices));
                var apiBase = options.ApiBase?.ToString().TrimEnd('/') ?? StripeClient.DefaultApiBase;
                LogChoice(logger, "Stripe", apiBase);
                return new StripeClient(options.ReadSecretKey(), apiBase: apiBase);
            });
            services.AddScoped<IBillingProvider, StripeBillingProvider>();
            services.AddScoped<StripeWebhookReceiver>();
        }
        else
        {
            services.AddScoped<IBillingProvider, LocalBillingProvider>();
        }

        services.AddScoped<LocalBilling>();
        return services;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Billing: {Provider} at {ApiBase}")]
    private static partial void LogChoice(ILogger logger, string provider, string apiBase);
}
