using Cassiopeia.Core.Data;
using Cassiopeia.Infrastructure.Persistence.Postgres;
using Cassiopeia.Infrastructure.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Cassiopeia.IntegrationTests.Persistence;

/// <summary>
/// Every model change needs a migration for each provider (tools/MigrationScaffolder adds both):
/// these fail when either set lags behind the model.
/// </summary>
public sealed class MigrationTests
{
    public static TheoryData<string> Providers() => new() { "Sqlite", "Postgres" };

    [Theory]
    [MemberData(nameof(Providers))]
    public void Migrations_cover_the_whole_model(string provider)
    {
        using var db = Create(provider);
        Assert.False(db.Database.HasPendingModelChanges(), $"The {provider} migrations lag behind the model: run tools/MigrationScaffolder.");
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public void Both_providers_have_the_same_migrations(string provider)
    {
        using var db = Create(provider);
        using var other = Create(provider == "Sqlite" ? "Postgres" : "Sqlite");
        static IEnumerable<string> Names(AppDbContext c) =>
            c.GetService<IMigrationsAssembly>().Migrations.Keys.Select(id => id[(id.IndexOf('_', StringComparison.Ordinal) + 1)..]);
        Assert.NotEmpty(Names(db));
        Assert.Equal(Names(db), Names(other));
    }

    private static AppDbContext Create(string provider) => provider == "Sqlite"
        ? new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").Options, new TenantContext())
        : new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=127.0.0.1").Options, new TenantContext());
}
