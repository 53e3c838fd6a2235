using Cassiopeia.Core.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Infrastructure.Persistence.Sqlite;

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options, TenantContext tenant) : AppDbContext(options, tenant)
{
    // SQLITE_CONSTRAINT_PRIMARYKEY (1555) and SQLITE_CONSTRAINT_UNIQUE (2067).
    public override bool IsUniqueViolation(DbUpdateException exception) =>
        exception.InnerException is SqliteException { SqliteExtendedErrorCode: 1555 or 2067 };
}
