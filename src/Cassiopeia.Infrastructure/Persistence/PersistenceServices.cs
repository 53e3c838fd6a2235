using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Search;
using Cassiopeia.Infrastructure.Persistence.Postgres;
using Cassiopeia.Infrastructure.Persistence.Sqlite;
using Cassiopeia.Infrastructure.Search;
using Cassiopeia.Infrastructure.Search.Pgvector;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Persistence;

public static class PersistenceServices
{
    /// <summary>
    /// Registers the provider chosen by <c>Database:Provider</c> behind <see cref="AppDbContext"/>. The
    /// context options are built once (singleton), not for every request's context.
    /// </summary>
    public static IServiceCollection AddPersistence(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var options = configuration.GetSection(DatabaseOptions.SectionName).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var dataDirectory = configuration.GetSection(DataDirectoryOptions.SectionName).Get<DataDirectoryOptions>() ?? new DataDirectoryOptions();

        switch (options.Provider)
        {
            case DatabaseProvider.Sqlite:
                var connectionString = SqliteConnectionString(options.ConnectionString, dataDirectory);
                var tuning = new SqliteConnectionTuning();
                services.AddSingleton(new SqliteDatabase(connectionString));
                services.AddSingleton(sp => new SqliteCheckpointer(connectionString, sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
                services.AddHostedService(sp => sp.GetRequiredService<SqliteCheckpointer>());
                var writeGate = options.WriteGate;
                if (writeGate)
                {
                    services.AddMetrics().AddSingleton<SqliteWriteGate>();
                }

                services.AddDbContext<SqliteAppDbContext>(
                    (sp, o) =>
                    {
                        Quiet(o.UseSqlite(connectionString).AddInterceptors(tuning, new SqliteBusyWait.Interceptor(sp.GetRequiredService<SqliteCheckpointer>())));
                        if (writeGate)
                        {
                            o.AddInterceptors(sp.GetRequiredService<SqliteWriteGate>());
                        }
                    },
                    optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<SqliteAppDbContext>());
                services.AddScoped<IKeywordIndex, SqliteKeywordIndex>();
                break;
            case DatabaseProvider.Postgres:
                services.AddDbContext<PostgresAppDbContext>(o => Quiet(o.UseNpgsql(options.ConnectionString)), optionsLifetime: ServiceLifetime.Singleton);
                services.AddScoped<AppDbContext>(sp => sp.GetRequiredService<PostgresAppDbContext>());
                services.AddScoped<IKeywordIndex, PostgresKeywordIndex>();
                break;
            default:
                throw new InvalidOperationException($"Unknown Database:Provider '{options.Provider}'.");
        }

        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataDirectoryOptions>().BindConfiguration(DataDirectoryOptions.SectionName);
        AddVectorStore(services, configuration, options);
        services.AddHealthChecks().AddDbContextCheck<AppDbContext>("database", tags: ["ready"], customTestQuery: ProbeAsync);
        return services;
    }

    /// <summary>The vector store chosen by <c>Search:VectorStore</c>: in each process's memory, or pgvector.</summary>
    private static void AddVectorStore(IServiceCollection services, IConfiguration configuration, DatabaseOptions database)
    {
        var search = configuration.GetSection(SearchOptions.SectionName).Get<SearchOptions>() ?? new SearchOptions();
        if (search.VectorStore != VectorStoreKind.Pgvector)
        {
            services.AddSingleton<InProcessVectorIndex>();
            services.AddSingleton<IVectorIndex>(sp => sp.GetRequiredService<InProcessVectorIndex>());
            return;
        }

        services.AddOptions<PgvectorOptions>().BindConfiguration(PgvectorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var pgvector = configuration.GetSection(PgvectorOptions.SectionName).Get<PgvectorOptions>() ?? new PgvectorOptions();
        var connectionString = pgvector.ConnectionString
            ?? (database.Provider == DatabaseProvider.Postgres ? database.ConnectionString : null)
            ?? throw new InvalidOperationException("Search:VectorStore is Pgvector: set Search:Pgvector:ConnectionString, or use Database:Provider Postgres, whose database then holds the vectors.");
        services.AddSingleton(sp => new PgvectorTable(connectionString, sp.GetRequiredService<IOptions<PgvectorOptions>>()));
        services.AddSingleton<IVectorIndex, PgvectorVectorIndex>();
        services.AddHostedService<PgvectorSchema>();
        services.AddScoped<IDocumentErasure, PgvectorErasure>();
        services.AddHealthChecks().AddCheck<PgvectorHealthCheck>("pgvector", tags: ["ready"]);
    }

    /// <summary>
    /// A failed save, query or connection is not logged as an error by EF: callers handle the
    /// expected ones (a unique index deciding a duplicate upload or a replayed idempotency key), and
    /// the rest reach the exception handler or the worker, which log them once. During a database
    /// outage every request fails the same way; one line each, not three stack traces.
    /// </summary>
    private static DbContextOptionsBuilder Quiet(DbContextOptionsBuilder options) =>
        options.ConfigureWarnings(w => w.Log(
            (CoreEventId.SaveChangesFailed, LogLevel.Debug),
            (CoreEventId.QueryIterationFailed, LogLevel.Debug),
            (RelationalEventId.CommandError, LogLevel.Debug),
            (RelationalEventId.ConnectionError, LogLevel.Debug)));

    /// <summary>
    /// Readiness runs a statement rather than only opening a connection: a pooled connection the
    /// outage cut still "opens". A failed probe drops such connections so recovery needs no restart.
    /// </summary>
    private static async Task<bool> ProbeAsync(AppDbContext db, CancellationToken ct)
    {
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT 1", ct);
            return true;
        }
        catch (Exception e) when (Outage.Classify(e) is var outage and not OutageKind.None)
        {
            Outage.ForgetBrokenConnections(outage);
            return false;
        }
    }

    private static string SqliteConnectionString(string? configured, DataDirectoryOptions dataDirectory)
    {
        var builder = new SqliteConnectionStringBuilder(configured ?? $"Data Source={dataDirectory.Resolve("cassiopeia.db")}")
        {
            Pooling = true,
            DefaultTimeout = 30,
        };
        var folder = Path.GetDirectoryName(Path.GetFullPath(builder.DataSource));
        if (!string.IsNullOrEmpty(folder))
        {
            Directory.CreateDirectory(folder);
        }

        return builder.ToString();
    }
}
