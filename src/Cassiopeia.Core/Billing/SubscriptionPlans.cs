using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Billing;

/// <summary>
/// The plan in force from the stored subscription (<see cref="PlanInForce"/>). Quota checks call it on
/// every billable request, so the subscription is kept in memory per organization: every change this
/// process applies calls <see cref="Invalidate"/>, and entries expire after
/// <see cref="PlanOptions.SubscriptionCacheLifetime"/> for changes made by other processes. The plan is
/// worked out on each call from the cached state and the clock, so a period end takes effect on time.
/// </summary>
public sealed class SubscriptionPlans(IServiceScopeFactory scopes, IMemoryCache cache, IOptionsMonitor<PlanOptions> options, TimeProvider time) : IOrganizationPlans
{
    private static readonly object NoSubscription = new();

    // Bumped by every invalidation: a load that raced with one must not cache what it read.
    private long _generation;

    public async ValueTask<EffectivePlan> GetAsync(string organizationId, CancellationToken cancellationToken)
    {
        var state = await GetStateAsync(organizationId, cancellationToken);
        return PlanInForce.Resolve(state, options.CurrentValue, time.GetUtcNow().UtcDateTime);
    }

    public void Invalidate(string organizationId)
    {
        Interlocked.Increment(ref _generation);
        cache.Remove(Key(organizationId));
    }

    private async ValueTask<SubscriptionState?> GetStateAsync(string organizationId, CancellationToken ct)
    {
        if (cache.TryGetValue(Key(organizationId), out var cached))
        {
            return cached as SubscriptionState;
        }

        var generation = Interlocked.Read(ref _generation);
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // Called outside any request's tenant (quota checks of workers too): the organization is explicit.
        var state = await db.Subscriptions.IgnoreQueryFilters().AsNoTracking()
            .Where(s => s.OrganizationId == organizationId)
            .Select(s => new SubscriptionState(s.PlanId, s.Status, s.CurrentPeriodStartUtc, s.CurrentPeriodEndUtc, s.TrialEndUtc, s.CancelAtPeriodEnd, s.Provider))
            .FirstOrDefaultAsync(ct);
        var lifetime = options.CurrentValue.SubscriptionCacheLifetime;
        if (lifetime > TimeSpan.Zero && Interlocked.Read(ref _generation) == generation)
        {
            cache.Set(Key(organizationId), (object?)state ?? NoSubscription, lifetime);
            if (Interlocked.Read(ref _generation) != generation)
            {
                cache.Remove(Key(organizationId));
            }
        }

        return state;
    }

    private static string Key(string organizationId) => "subscription:" + organizationId;
}
