using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Infrastructure.Persistence;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Which database holds the metadata, and how to reach it. Section <c>Database</c>.</summary>
public sealed class DatabaseOptions : IValidatableObject
{
    public const string SectionName = "Database";

    /// <summary><c>Sqlite</c> (embedded profile, the default) or <c>Postgres</c> (scale-out).</summary>
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Required for PostgreSQL (from the environment: <c>Database__ConnectionString</c>). For SQLite
    /// the default is <c>cassiopeia.db</c> in the data directory.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>Apply pending migrations at start. Scale-out deployments turn this off and run the <c>migrate</c> command once per release.</summary>
    public bool MigrateOnStart { get; set; } = true;

    /// <summary>
    /// SQLite only: queue this process's write transactions in <see cref="SqliteWriteGate"/>, in order, before
    /// they ask SQLite for the lock. Off by default: under a mixed load that saturates the CPU it held less (two
    /// runs each: 304 requests/s with it, 380 without), as a released gate waits for its next holder to be
    /// scheduled; and its gain for ingestion over SQLite's sleeping busy handler (+10–15 %) is now had without
    /// it, by <see cref="SqliteBusyWait"/> (GloVe ingestion 1,038 documents/s with the gate, 1,034–1,040 with
    /// the busy handler alone); see docs/benchmarks.md.
    /// </summary>
    public bool WriteGate { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == DatabaseProvider.Postgres && string.IsNullOrWhiteSpace(ConnectionString))
        {
            yield return new ValidationResult("Database:ConnectionString is required when Database:Provider is Postgres.", [nameof(ConnectionString)]);
        }
    }
}
