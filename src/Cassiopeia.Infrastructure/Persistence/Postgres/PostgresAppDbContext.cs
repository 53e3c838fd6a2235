using Cassiopeia.Core.Data;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Cassiopeia.Infrastructure.Persistence.Postgres;

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, TenantContext tenant) : AppDbContext(options, tenant)
{
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation };

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        base.OnModelCreating(modelBuilder);

        // Identifiers are compared as ordinal strings for keyset pagination, as SQLite does by default.
        foreach (var property in modelBuilder.Model.GetEntityTypes().SelectMany(t => t.GetProperties()))
        {
            if (property.ClrType == typeof(string) && (property.Name.EndsWith("Id", StringComparison.Ordinal) || property.Name == "Prefix"))
            {
                property.SetCollation("C");
            }
        }
    }
}
