// Adds a migration for every database provider in one step, so the two sets never drift.
// The dotnet-ef tool does the same through these EF design-time services; it is not on the
// package mirror this project builds from, and this keeps the step one command:
//   dotnet run --project tools/MigrationScaffolder -- <MigrationName>
using Cassiopeia.Core.Data;
using Cassiopeia.Infrastructure.Persistence.Postgres;
using Cassiopeia.Infrastructure.Persistence.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Design;
using Microsoft.EntityFrameworkCore.Migrations.Design;
using Microsoft.Extensions.DependencyInjection;

if (args.Length != 1)
{
    Console.Error.WriteLine("usage: MigrationScaffolder <MigrationName>");
    return 2;
}

var root = FindRepositoryRoot();
var infrastructure = Path.Combine(root, "src", "Cassiopeia.Infrastructure");
var tenant = new TenantContext();

Scaffold(
    new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite("Data Source=:memory:").Options, tenant),
    new Microsoft.EntityFrameworkCore.Sqlite.Design.Internal.SqliteDesignTimeServices(),
    "Persistence/Sqlite/Migrations");
Scaffold(
    new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql("Host=localhost").Options, tenant),
    new Npgsql.EntityFrameworkCore.PostgreSQL.Design.Internal.NpgsqlDesignTimeServices(),
    "Persistence/Postgres/Migrations");
return 0;

void Scaffold(AppDbContext context, IDesignTimeServices providerServices, string folder)
{
    var services = new ServiceCollection().AddEntityFrameworkDesignTimeServices().AddDbContextDesignTimeServices(context);
    providerServices.ConfigureDesignTimeServices(services);
    using var provider = services.BuildServiceProvider();
    var scaffolder = provider.GetRequiredService<IMigrationsScaffolder>();
    var ns = "Cassiopeia.Infrastructure." + folder.Replace('/', '.');
    var migration = scaffolder.ScaffoldMigration(args[0], rootNamespace: "Cassiopeia.Infrastructure", subNamespace: folder.Replace('/', '.'));
    var files = scaffolder.Save(infrastructure, migration, Path.Combine(infrastructure, folder));
    Console.WriteLine($"{context.GetType().Name}: {files.MigrationFile} ({ns})");
}

static string FindRepositoryRoot()
{
    var directory = new DirectoryInfo(AppContext.BaseDirectory);
    while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Cassiopeia.slnx")))
    {
        directory = directory.Parent;
    }

    return directory?.FullName ?? throw new InvalidOperationException("Run from inside the repository.");
}
