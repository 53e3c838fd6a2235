using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Usage;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Persistence;

/// <summary><see cref="AppDbContext.InsertManyAsync{T}"/> against each real database: the model's columns and converters, and tenancy.</summary>
public abstract class InsertManyTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Rows_inserted_together_read_back_as_saved_with_the_models_conversions()
    {
        var owner = await SignUpAsync();
        var at = new DateTime(2026, 12, 6, 7, 30, 15, 123, DateTimeKind.Utc);
        var events = Enumerable.Range(1, 300).Select(i => new UsageEvent
        {
            OrganizationId = "",
            UserId = owner.UserId,
            Metric = Metrics.PagesIngested,
            Quantity = i,
            CostUsd = i * 0.000_000_123m,
            Model = i % 2 == 0 ? null : "model-" + i,
            OccurredUtc = at.AddSeconds(i),
        }).ToList();

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(owner.OrganizationId);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await using var transaction = await db.Database.BeginTransactionAsync();
            await db.InsertManyAsync(events, default);
            await transaction.CommitAsync();
        }

        await using var check = Factory.Services.CreateAsyncScope();
        var saved = await check.ServiceProvider.GetRequiredService<AppDbContext>().UsageEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(e => e.OrganizationId == owner.OrganizationId && e.Metric == Metrics.PagesIngested).OrderBy(e => e.Quantity).ToListAsync();
        Assert.Equal(300, saved.Count); // many statements' worth of rows
        for (var i = 0; i < saved.Count; i++)
        {
            Assert.Equal((events[i].Quantity, events[i].CostUsd, events[i].Model, events[i].UserId), (saved[i].Quantity, saved[i].CostUsd, saved[i].Model, saved[i].UserId));
            Assert.Equal(events[i].OccurredUtc, saved[i].OccurredUtc);
            Assert.Equal(DateTimeKind.Utc, saved[i].OccurredUtc.Kind);
            Assert.True(saved[i].Id > 0);
        }

        Assert.Equal(300, saved.Select(e => e.Id).Distinct().Count());
    }

    [Fact]
    public async Task A_row_of_another_organization_or_a_missing_transaction_is_refused_and_nothing_is_written()
    {
        var owner = await SignUpAsync();
        var other = await SignUpAsync();
        UsageEvent Event(string organizationId) => new() { OrganizationId = organizationId, UserId = owner.UserId, Metric = Metrics.Asks, Quantity = 1, OccurredUtc = DateTime.UtcNow };

        await using (var scope = Factory.Services.CreateAsyncScope())
        {
            scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(owner.OrganizationId);
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.InsertManyAsync([Event(owner.OrganizationId)], default));
            await using var transaction = await db.Database.BeginTransactionAsync();
            await Assert.ThrowsAsync<InvalidOperationException>(() => db.InsertManyAsync([Event(owner.OrganizationId), Event(other.OrganizationId)], default));
            await transaction.CommitAsync();
        }

        await using var check = Factory.Services.CreateAsyncScope();
        var written = await check.ServiceProvider.GetRequiredService<AppDbContext>().UsageEvents.IgnoreQueryFilters()
            .CountAsync(e => (e.OrganizationId == owner.OrganizationId || e.OrganizationId == other.OrganizationId) && e.Metric == Metrics.Asks);
        Assert.Equal(0, written);
    }
}

public sealed class SqliteInsertManyTests(SqliteFixture fixture) : InsertManyTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresInsertManyTests(PostgresFixture fixture) : InsertManyTests(fixture), IClassFixture<PostgresFixture>;
