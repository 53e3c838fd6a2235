using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Billing;

/// <summary>
/// The plan in force from the stored subscription (<see cref="PlanInForce"/>). Quota checks call it on
/// every billable request, so the subscription is cached per organization in a <see cref="HybridCache"/>:
/// in this process, and in Redis when the deployment has one, so one node's read serves the others.
/// Every change this process applies calls <see cref="Invalidate"/>, which drops the entry here and in
/// Redis; other nodes keep their in-process copy for at most half of
/// <see cref="PlanOptions.SubscriptionCacheLifetime"/>, and the Redis copy lives no longer than that
/// either, so another node sees a change within the lifetime, as before Redis (never later). The plan
/// is worked out on each call from the cached state and the clock, so a period end takes effect on time.
/// </summary>
public sealed class SubscriptionPlans(IServiceScopeFactory scopes, HybridCache cache, IOptionsMonitor<PlanOptions> options, TimeProvider time) : IOrganizationPlans
{
    // Bumped by every invalidation: a load that raced with one must not be trusted.
    private long _generation;

    public async ValueTask<EffectivePlan> GetAsync(string organizationId, CancellationToken cancellationToken)
    {
        var state = await GetStateAsync(organizationId, cancellationToken);
        return PlanInForce.Resolve(state, options.CurrentValue, time.GetUtcNow().UtcDateTime);
    }

    public void Invalidate(string organizationId)
    {
        Interlocked.Increment(ref _generation);

        // The in-process entry goes at once; the Redis one with the next command on the shared connection.
        _ = RemoveAsync(Key(organizationId));
    }

    private async ValueTask<SubscriptionState?> GetStateAsync(string organizationId, CancellationToken ct)
    {
        var lifetime = options.CurrentValue.SubscriptionCacheLifetime;
        if (lifetime <= TimeSpan.Zero)
        {
            return await LoadAsync(organizationId, ct);
        }

        var generation = Interlocked.Read(ref _generation);
        var half = lifetime / 2;
        var cached = await cache.GetOrCreateAsync(
            Key(organizationId),
            (Plans: this, Id: organizationId),
            static async (load, token) => new CachedSubscription(await load.Plans.LoadAsync(load.Id, token)),
            new HybridCacheEntryOptions { Expiration = half, LocalCacheExpiration = half },
            cancellationToken: ct);
        if (Interlocked.Read(ref _generation) == generation)
        {
            return cached.State;
        }

        // Invalidated meanwhile: what was read may predate the change.
        await RemoveAsync(Key(organizationId));
        return await LoadAsync(organizationId, ct);
    }

    private async ValueTask<SubscriptionState?> LoadAsync(string organizationId, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Called outside any request's tenant (quota checks of workers too): the organization is explicit.
        return await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.OrganizationId == organizationId)
            .Select(s => new SubscriptionState(s.PlanId, s.Status, s.CurrentPeriodStartUtc, s.CurrentPeriodEndUtc, s.TrialEndUtc, s.CancelAtPeriodEnd, s.Provider))
            .FirstOrDefaultAsync(ct);
    }

    private async Task RemoveAsync(string key)
    {
        try
        {
            await cache.RemoveAsync(key);
        }
        catch (Exception)
        {
            // Redis is unreachable: its copy expires within half the lifetime anyway.
        }
    }

    private static string Key(string organizationId) => "subscription:" + organizationId;

    /// <summary>What is cached: "no subscription" is an answer worth caching too. Immutable, so cache hits share one instance.</summary>
    [System.ComponentModel.ImmutableObject(true)]
    public sealed record CachedSubscription(SubscriptionState? State);
}
