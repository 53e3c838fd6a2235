using System.Globalization;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.RateLimiting;

/// <summary>Marks an endpoint as an authentication endpoint: limited per client IP by <c>RateLimiting:Auth</c>.</summary>
[AttributeUsage(AttributeTargets.Class | AttributeTargets.Method)]
public sealed class AuthRateLimitAttribute : Attribute;

/// <summary>
/// Decides, before the rate limiter runs, which partition a request counts in and its limit: auth
/// endpoints per IP; else the API key, else the user, at the plan's <c>RequestsPerMinute</c> (read from
/// <see cref="IOrganizationPlans"/> per request, so a change of plan applies at once); else the IP.
/// Also writes <c>RateLimit-Limit</c> and <c>RateLimit-Remaining</c> on every limited response.
/// </summary>
public sealed class RateLimitRuleMiddleware(RequestDelegate next, IOptionsMonitor<RateLimitingOptions> options, IOptions<RateLimiterOptions> limiter)
{
    public async Task InvokeAsync(HttpContext context, Caller caller, IOrganizationPlans plans)
    {
        if (await RuleAsync(context, caller, plans) is { } rule)
        {
            context.Features.Set(rule);
            context.Response.OnStarting(() =>
            {
                if (context.Response.StatusCode != StatusCodes.Status429TooManyRequests && limiter.Value.GlobalLimiter is { } global)
                {
                    var remaining = global.GetStatistics(context)?.CurrentAvailablePermits ?? 0;
                    context.Response.Headers[RateLimitHeaders.Limit] = rule.PermitLimit.ToString(CultureInfo.InvariantCulture);
                    context.Response.Headers[RateLimitHeaders.Remaining] = remaining.ToString(CultureInfo.InvariantCulture);
                }

                return Task.CompletedTask;
            });
        }

        await next(context);
    }

    private async Task<RateLimitRule?> RuleAsync(HttpContext context, Caller caller, IOrganizationPlans plans)
    {
        var settings = options.CurrentValue;
        var endpoint = context.GetEndpoint();
        if (!settings.Enabled || endpoint?.Metadata.GetMetadata<DisableRateLimitingAttribute>() is not null)
        {
            return null;
        }

        var ip = context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
        var window = settings.Window;
        if (endpoint?.Metadata.GetMetadata<AuthRateLimitAttribute>() is not null)
        {
            return settings.Auth.Enabled ? Rule("auth", ip, settings.Auth.PermitLimit, window) : null;
        }

        if (!caller.IsAuthenticated)
        {
            return settings.Anonymous.Enabled ? Rule("ip", ip, settings.Anonymous.PermitLimit, window) : null;
        }

        if (!settings.Callers.Enabled)
        {
            return null;
        }

        var permits = settings.Callers.PermitLimit;
        if (caller.OrganizationId is { } organization)
        {
            var plan = await plans.GetAsync(organization, context.RequestAborted);
            permits = (int)Math.Clamp(Math.Ceiling(plan.Plan.RequestsPerMinute * window.TotalMinutes), 1, int.MaxValue);
        }

        return caller.ApiKeyId is { } key
            ? Rule("key", key, permits, window)
            : Rule("user", $"{caller.UserId}:{caller.OrganizationId}", permits, window);
    }

    private static RateLimitRule Rule(string kind, string subject, int permits, TimeSpan window) =>
        new($"{kind}:{subject}:{permits.ToString(CultureInfo.InvariantCulture)}/{window.Ticks.ToString(CultureInfo.InvariantCulture)}", kind, permits, window);
}
