using System.Globalization;
using System.Threading.RateLimiting;
using Cassiopeia.Api.Http;
using Cassiopeia.Infrastructure.Redis;
using Microsoft.AspNetCore.RateLimiting;

namespace Cassiopeia.Api.RateLimiting;

/// <summary>
/// ASP.NET Core's rate limiter with one partitioned global limiter: the partition and its limit come
/// from <see cref="RateLimitRuleMiddleware"/>, the limiter for a partition from <see cref="IRateLimiterFactory"/>.
/// A refused request gets a 429 problem with <c>Retry-After</c> and the <c>RateLimit-*</c> headers.
/// </summary>
public static class RateLimitSetup
{
    public const string ProblemCode = "rate-limited";

    public static IServiceCollection AddCassiopeiaRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<RateLimitingOptions>().BindConfiguration(RateLimitingOptions.SectionName).ValidateDataAnnotations()
            .Validate(o => o.Auth.PermitLimit >= 1 && o.Callers.PermitLimit >= 1 && o.Anonymous.PermitLimit >= 1, "RateLimiting:*:PermitLimit must be at least 1.")
            .ValidateOnStart();
        services.AddSingleton<InMemoryRateLimiterFactory>();
        if (configuration.IsRedisConfigured())
        {
            services.AddSingleton<IRateLimiterFactory, RedisRateLimiterFactory>();
        }
        else
        {
            services.AddSingleton<IRateLimiterFactory>(sp => sp.GetRequiredService<InMemoryRateLimiterFactory>());
        }

        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IRateLimiterFactory>((o, factory) =>
        {
            o.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
                context.Features.Get<RateLimitRule>() is { } rule
                    ? RateLimitPartition.Get(rule.Key, _ => factory.Create(rule))
                    : RateLimitPartition.GetNoLimiter(""));
            o.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            o.OnRejected = RejectAsync;
        });
        return services;
    }

    /// <summary>After the caller is known (the partition depends on it), before authorization.</summary>
    public static WebApplication UseCassiopeiaRateLimiting(this WebApplication app)
    {
        app.UseMiddleware<RateLimitRuleMiddleware>();
        app.UseRateLimiter();
        return app;
    }

    private static async ValueTask RejectAsync(OnRejectedContext rejected, CancellationToken ct)
    {
        var context = rejected.HttpContext;
        var rule = context.Features.Get<RateLimitRule>();
        var window = rule?.Window ?? TimeSpan.FromMinutes(1);
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : window;
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        var headers = context.Response.Headers;
        headers.RetryAfter = seconds;
        headers[RateLimitHeaders.Limit] = rule?.PermitLimit.ToString(CultureInfo.InvariantCulture);
        headers[RateLimitHeaders.Remaining] = "0";
        headers[RateLimitHeaders.Reset] = seconds;
        var who = rule?.Class switch
        {
            "auth" => "sign-in requests from this address",
            "key" => "this API key",
            "user" => "this user",
            _ => "this address",
        };
        var problems = context.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, ProblemCode,
            $"Too many requests: {rule?.PermitLimit} per {window.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s are allowed for {who}. Retry in {seconds} s.");
    }
}
