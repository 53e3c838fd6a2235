using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.ApiKeys;
using Cassiopeia.Core.Audit;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Storage;

namespace Cassiopeia.Core.Data;

/// <summary>
/// The provider-neutral model. Each database provider has a subclass with its own migrations;
/// use cases depend on this class only.
/// </summary>
public abstract class AppDbContext(DbContextOptions options, TenantContext tenant) : DbContext(options)
{
    public DbSet<User> Users => Set<User>();

    public DbSet<Organization> Organizations => Set<Organization>();

    public DbSet<Membership> Memberships => Set<Membership>();

    public DbSet<RefreshToken> RefreshTokens => Set<RefreshToken>();

    public DbSet<LoginThrottle> LoginThrottles => Set<LoginThrottle>();

    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();

    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<Documents.Document> Documents => Set<Documents.Document>();

    public DbSet<Documents.PendingUpload> PendingUploads => Set<Documents.PendingUpload>();

    public DbSet<Jobs.IngestionJob> IngestionJobs => Set<Jobs.IngestionJob>();

    public DbSet<Ingestion.Chunk> Chunks => Set<Ingestion.Chunk>();

    public DbSet<Interviews.Matching.Match> Matches => Set<Interviews.Matching.Match>();

    public DbSet<Interviews.Prompts.PromptVersion> PromptVersions => Set<Interviews.Prompts.PromptVersion>();

    public DbSet<Interviews.Feedback.AiFeedback> Feedback => Set<Interviews.Feedback.AiFeedback>();

    public DbSet<Interviews.Sessions.Interview> InterviewSessions => Set<Interviews.Sessions.Interview>();

    public DbSet<Interviews.Sessions.InterviewQuestion> InterviewQuestions => Set<Interviews.Sessions.InterviewQuestion>();

    public DbSet<Interviews.Sessions.InterviewAnswer> InterviewAnswers => Set<Interviews.Sessions.InterviewAnswer>();

    public DbSet<Usage.UsageEvent> UsageEvents => Set<Usage.UsageEvent>();

    public DbSet<Usage.UsageDaily> UsageDaily => Set<Usage.UsageDaily>();

    public DbSet<Usage.QuotaCounter> QuotaCounters => Set<Usage.QuotaCounter>();

    public DbSet<Billing.Subscription> Subscriptions => Set<Billing.Subscription>();

    public DbSet<Billing.BillingEvent> BillingEvents => Set<Billing.BillingEvent>();

    /// <summary>Read by the query filters on every query (EF parameterizes it per execution).</summary>
    protected string? CurrentOrganizationId => tenant.OrganizationId;

    /// <summary>True when the failure is a unique-constraint violation (two writers raced for one key).</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        GuardTenancy();
        return base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
    }

    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        GuardTenancy();
        return base.SaveChanges(acceptAllChangesOnSuccess);
    }

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every time is UTC; SQLite would otherwise hand back DateTimeKind.Unspecified.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<string>().HaveMaxLength(400);
    }

    protected override void OnModelCreating(ModelBuilder modelBuilder)
    {
        modelBuilder.Entity<User>(e =>
        {
            e.ToTable("users");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).HasMaxLength(Common.Ids.MaxLength);
            e.Property(u => u.Email).HasMaxLength(254);
            e.Property(u => u.NormalizedEmail).HasMaxLength(254);
            e.HasIndex(u => u.NormalizedEmail).IsUnique();
            e.Property(u => u.Name).HasMaxLength(100);
            e.Property(u => u.PasswordHash).HasMaxLength(200);
        });

        modelBuilder.Entity<Organization>(e =>
        {
            e.ToTable("organizations");
            e.HasKey(o => o.Id);
            e.Property(o => o.Id).HasMaxLength(Common.Ids.MaxLength);
            e.Property(o => o.Name).HasMaxLength(100);
        });

        modelBuilder.Entity<Membership>(e =>
        {
            e.ToTable("memberships");
            e.HasKey(m => new { m.OrganizationId, m.UserId });
            e.HasIndex(m => m.UserId);
            e.Property(m => m.Role).HasConversion<string>().HasMaxLength(16);
            e.HasOne<Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(m => m.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<RefreshToken>(e =>
        {
            e.ToTable("refresh_tokens");
            e.HasKey(t => t.Id);
            e.HasIndex(t => t.TokenHash).IsUnique();
            e.HasIndex(t => t.FamilyId);
            e.Property(t => t.TokenHash).HasMaxLength(64);
            e.HasOne<User>().WithMany().HasForeignKey(t => t.UserId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<LoginThrottle>(e =>
        {
            e.ToTable("login_throttles");
            e.HasKey(t => t.NormalizedEmail);
            e.Property(t => t.NormalizedEmail).HasMaxLength(254);
        });

        modelBuilder.Entity<ApiKey>(e =>
        {
            e.ToTable("api_keys");
            e.HasKey(k => k.Id);
            e.HasIndex(k => k.Prefix).IsUnique();
            e.HasIndex(k => new { k.OrganizationId, k.Id });
            e.Property(k => k.Prefix).HasMaxLength(32);
            e.Property(k => k.Name).HasMaxLength(100);
            e.Property(k => k.SecretHash).HasMaxLength(32);
            e.HasOne<Organization>().WithMany().HasForeignKey(k => k.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<User>().WithMany().HasForeignKey(k => k.UserId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(k => k.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<AuditEvent>(e =>
        {
            e.ToTable("audit_events");
            e.HasKey(a => a.Id);
            e.Property(a => a.Id).ValueGeneratedOnAdd();
            e.HasIndex(a => new { a.OrganizationId, a.Id });
            e.Property(a => a.Action).HasMaxLength(64);
            e.Property(a => a.IpAddress).HasMaxLength(64);
            e.Property(a => a.Detail).HasMaxLength(1000);
            e.HasQueryFilter(a => a.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Documents.Document>(e =>
        {
            e.ToTable("documents");
            e.HasKey(d => d.Id);
            e.Ignore(d => d.BlobKey);
            e.HasIndex(d => new { d.OrganizationId, d.Sha256 }).IsUnique();
            e.HasIndex(d => new { d.OrganizationId, d.Id });
            e.HasIndex(d => d.ReplacesId);
            e.Property(d => d.Kind).HasMaxLength(16);
            e.Property(d => d.Status).HasMaxLength(16);
            e.Property(d => d.Sha256).HasMaxLength(64);
            e.Property(d => d.Title).HasMaxLength(200);
            e.Property(d => d.FileName).HasMaxLength(255);
            e.Property(d => d.ContentType).HasMaxLength(100);
            e.Property(d => d.Error).HasMaxLength(1000);
            e.HasOne<Accounts.Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(d => d.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Documents.PendingUpload>(e =>
        {
            e.ToTable("pending_uploads");
            e.HasKey(p => p.Id);
            e.HasIndex(p => p.ExpiresUtc);
            e.Property(p => p.Kind).HasMaxLength(16);
            e.Property(p => p.Title).HasMaxLength(200);
            e.Property(p => p.FileName).HasMaxLength(255);
            e.Property(p => p.DeclaredContentType).HasMaxLength(100);
            e.Property(p => p.Sha256).HasMaxLength(64);
            e.HasOne<Accounts.Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(p => p.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Jobs.IngestionJob>(e =>
        {
            e.ToTable("ingestion_jobs");
            e.HasKey(j => j.Id);
            e.HasIndex(j => j.DocumentId).IsUnique();
            e.HasIndex(j => new { j.State, j.RunAfterUtc });
            e.Property(j => j.State).HasMaxLength(16);
            e.Property(j => j.LeaseToken).HasMaxLength(40);
            e.Property(j => j.LastError).HasMaxLength(1000);
            e.Property(j => j.TraceParent).HasMaxLength(100);
            e.HasOne<Documents.Document>().WithMany().HasForeignKey(j => j.DocumentId).OnDelete(DeleteBehavior.Cascade);
        });

        modelBuilder.Entity<Ingestion.Chunk>(e =>
        {
            e.ToTable("chunks");
            e.HasKey(c => c.Seq);
            e.Property(c => c.Seq).ValueGeneratedOnAdd();
            e.HasIndex(c => c.Id).IsUnique();
            e.HasIndex(c => new { c.DocumentId, c.Ordinal }).IsUnique();
            e.HasIndex(c => new { c.OrganizationId, c.Seq });
            e.HasIndex(c => new { c.ModelId, c.ContentHash });
            e.Property(c => c.Text).HasMaxLength(20_000);
            e.Property(c => c.HeadingPath).HasMaxLength(1000);
            e.Property(c => c.ContentHash).HasMaxLength(64);
            e.Property(c => c.ModelId).HasMaxLength(100);
            e.Property(c => c.Vector).HasMaxLength(16_384);
            e.HasOne<Documents.Document>().WithMany().HasForeignKey(c => c.DocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(c => c.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Interviews.Matching.Match>(e =>
        {
            e.ToTable("matches");
            e.HasKey(m => m.Id);
            e.HasIndex(m => new { m.OrganizationId, m.Id });
            e.HasIndex(m => m.CvDocumentId);
            e.HasIndex(m => m.JdDocumentId);
            e.Property(m => m.Summary).HasMaxLength(4000);
            e.Property(m => m.PromptVersion).HasMaxLength(40);
            e.Property(m => m.Extractor).HasMaxLength(16);
            e.Property(m => m.EmbeddingModelId).HasMaxLength(100);
            e.Property(m => m.Details).HasMaxLength(200_000);
            e.HasOne<Accounts.Organization>().WithMany().HasForeignKey(m => m.OrganizationId).OnDelete(DeleteBehavior.Cascade);

            // A match quotes the CV: erasing either document erases it.
            e.HasOne<Documents.Document>().WithMany().HasForeignKey(m => m.CvDocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Documents.Document>().WithMany().HasForeignKey(m => m.JdDocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(m => m.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Interviews.Prompts.PromptVersion>(e =>
        {
            e.ToTable("prompt_versions");
            e.HasKey(p => p.Id);
            e.HasIndex(p => new { p.OrganizationId, p.Version }).IsUnique();
            e.Property(p => p.Kind).HasMaxLength(16);
            e.Property(p => p.Version).HasMaxLength(40);
            e.Property(p => p.Content).HasMaxLength(Interviews.Prompts.AddPromptVersion.MaxContentLength);
            e.Property(p => p.Description).HasMaxLength(Interviews.Prompts.AddPromptVersion.MaxDescriptionLength);
            e.HasOne<Accounts.Organization>().WithMany().HasForeignKey(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);

            // Built-in versions (no organization) are visible to every organization.
            e.HasQueryFilter(p => p.OrganizationId == null || p.OrganizationId == CurrentOrganizationId);
            e.HasData(Interviews.Prompts.BuiltInPrompts.All);
        });

        modelBuilder.Entity<Interviews.Feedback.AiFeedback>(e =>
        {
            e.ToTable("ai_feedback");
            e.HasKey(f => f.Id);
            e.HasIndex(f => new { f.OrganizationId, f.TargetType, f.TargetId });
            e.Property(f => f.TargetType).HasMaxLength(16);
            e.Property(f => f.TargetId).HasMaxLength(Interviews.Feedback.GiveFeedback.MaxTargetIdLength);
            e.Property(f => f.Comment).HasMaxLength(Interviews.Feedback.GiveFeedback.MaxCommentLength);
            e.HasOne<Accounts.Organization>().WithMany().HasForeignKey(f => f.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(f => f.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Interviews.Sessions.Interview>(e =>
        {
            e.ToTable("interviews");
            e.HasKey(i => i.Id);
            e.HasIndex(i => new { i.OrganizationId, i.Id });
            e.HasIndex(i => i.CvDocumentId);
            e.HasIndex(i => i.JdDocumentId);
            e.Property(i => i.MatchId).HasMaxLength(40);
            e.Property(i => i.Difficulty).HasMaxLength(16);
            e.Property(i => i.Focus).HasMaxLength(Interviews.Practice.QuestionRequest.MaxFocusLength);
            e.Property(i => i.PromptVersion).HasMaxLength(40);
            e.HasOne<Accounts.Organization>().WithMany().HasForeignKey(i => i.OrganizationId).OnDelete(DeleteBehavior.Cascade);

            // An interview quotes the CV (sources, follow-ups): erasing either document erases it.
            e.HasOne<Documents.Document>().WithMany().HasForeignKey(i => i.CvDocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Documents.Document>().WithMany().HasForeignKey(i => i.JdDocumentId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(i => i.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Interviews.Sessions.InterviewQuestion>(e =>
        {
            e.ToTable("interview_questions");
            e.HasKey(q => q.Id);
            e.HasIndex(q => new { q.InterviewId, q.Ordinal });
            e.Property(q => q.Text).HasMaxLength(2000);
            e.Property(q => q.Category).HasMaxLength(32);
            e.Property(q => q.Difficulty).HasMaxLength(16);
            e.Property(q => q.Rubric).HasMaxLength(20_000);
            e.Property(q => q.Sources).HasMaxLength(20_000);
            e.Property(q => q.Template).HasMaxLength(40);
            e.Property(q => q.FollowUpOf).HasMaxLength(40);
            e.HasOne<Interviews.Sessions.Interview>().WithMany().HasForeignKey(q => q.InterviewId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(q => q.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Interviews.Sessions.InterviewAnswer>(e =>
        {
            e.ToTable("interview_answers");
            e.HasKey(a => a.Id);
            e.HasIndex(a => a.QuestionId).IsUnique();
            e.HasIndex(a => a.InterviewId);
            e.Property(a => a.Text).HasMaxLength(Interviews.Sessions.AnswerQuestion.MaxAnswerLength);
            e.Property(a => a.Feedback).HasMaxLength(50_000);
            e.Property(a => a.RubricVersion).HasMaxLength(40);
            e.Property(a => a.Model).HasMaxLength(100);
            e.Property(a => a.FollowUpQuestionId).HasMaxLength(40);
            e.HasOne<Interviews.Sessions.Interview>().WithMany().HasForeignKey(a => a.InterviewId).OnDelete(DeleteBehavior.Cascade);
            e.HasOne<Interviews.Sessions.InterviewQuestion>().WithMany().HasForeignKey(a => a.QuestionId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(a => a.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Usage.UsageEvent>(e =>
        {
            e.ToTable("usage_events");
            e.HasKey(u => u.Id);
            e.Property(u => u.Id).ValueGeneratedOnAdd();
            e.HasIndex(u => new { u.OrganizationId, u.OccurredUtc });
            e.Property(u => u.Metric).HasMaxLength(32);
            e.Property(u => u.Model).HasMaxLength(100);

            // Billionths of a dollar as an integer: exact sums in SQL on SQLite too (the daily roll-up trigger adds them).
            e.Property(u => u.CostUsd).HasColumnName("CostNanoUsd").HasConversion(v => (long)decimal.Round(v * 1_000_000_000m), v => v / 1_000_000_000m);
            e.HasOne<Organization>().WithMany().HasForeignKey(u => u.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(u => u.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Usage.UsageDaily>(e =>
        {
            e.ToTable("usage_daily");
            e.HasKey(d => new { d.OrganizationId, d.Date, d.Metric, d.UserId });
            e.Property(d => d.Metric).HasMaxLength(32);
            e.HasOne<Organization>().WithMany().HasForeignKey(d => d.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(d => d.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Usage.QuotaCounter>(e =>
        {
            e.ToTable("quota_counters");
            e.HasKey(c => new { c.OrganizationId, c.Metric, c.PeriodStartUtc });
            e.Property(c => c.Metric).HasMaxLength(32);
            e.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(c => c.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Billing.Subscription>(e =>
        {
            e.ToTable("subscriptions");
            e.HasKey(s => s.OrganizationId);
            e.Property(s => s.OrganizationId).HasMaxLength(Common.Ids.MaxLength);
            e.Property(s => s.Provider).HasMaxLength(16);
            e.Property(s => s.PlanId).HasMaxLength(64);
            e.Property(s => s.Status).HasMaxLength(32);
            e.Property(s => s.StripeCustomerId).HasMaxLength(255);
            e.Property(s => s.StripeSubscriptionId).HasMaxLength(255);
            e.Property(s => s.LastEventId).HasMaxLength(255);
            e.Property(s => s.Version).IsConcurrencyToken();
            e.HasIndex(s => s.StripeCustomerId).IsUnique();
            e.HasIndex(s => s.StripeSubscriptionId);
            e.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
            e.HasQueryFilter(s => s.OrganizationId == CurrentOrganizationId);
        });

        modelBuilder.Entity<Billing.BillingEvent>(e =>
        {
            e.ToTable("billing_events");
            e.HasKey(b => b.Id);
            e.Property(b => b.Id).HasMaxLength(255);
            e.Property(b => b.Provider).HasMaxLength(16);
            e.Property(b => b.Type).HasMaxLength(100);
            e.Property(b => b.OrganizationId).HasMaxLength(Common.Ids.MaxLength);
            e.Property(b => b.Outcome).HasMaxLength(16);
            e.HasIndex(b => new { b.OrganizationId, b.ProcessedUtc });
        });

        modelBuilder.Entity<IdempotencyRecord>(e =>
        {
            e.ToTable("idempotency_records");
            e.HasKey(r => new { r.Scope, r.Key });
            e.Property(r => r.Key).HasMaxLength(255);
            e.Property(r => r.Scope).HasMaxLength(64);
            e.Property(r => r.RequestHash).HasMaxLength(32);
            e.HasIndex(r => r.ExpiresUtc);
        });
    }

    /// <summary>Most parameters of one multi-row <c>INSERT</c> (see <see cref="InsertManyAsync{T}"/>).</summary>
    private const int MaxInsertParameters = 128;

    /// <summary>Each entity type's insert columns and statement head, built once (entity types live as long as their model).</summary>
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<Microsoft.EntityFrameworkCore.Metadata.IEntityType, InsertShape> InsertShapes = [];

    /// <summary>
    /// Inserts <paramref name="rows"/> (new, untracked) with one multi-row <c>INSERT</c> per slice, inside
    /// the caller's transaction, under the same tenancy rule as <c>SaveChanges</c>. For the hot paths that
    /// save many rows of one kind while holding SQLite's single writer (upload groups, indexed chunks):
    /// <c>SaveChanges</c> spends more there on per-entity tracking and one statement per row than the
    /// database spends on the rows. Columns, names, type mappings and value converters come from the EF
    /// model; store-generated keys are left to the database and not read back. Written by hand because
    /// EF Core has no bulk insert and the libraries that add one do not serve both providers freely. A
    /// failure surfaces as a <see cref="DbUpdateException"/>, as from <c>SaveChanges</c>.
    /// </summary>
    public async Task InsertManyAsync<T>(IReadOnlyCollection<T> rows, CancellationToken ct)
        where T : class
    {
        if (rows.Count == 0)
        {
            return;
        }

        foreach (var row in rows.OfType<IOrganizationScoped>())
        {
            StampTenant(row, added: true);
        }

        var entityType = Model.FindEntityType(typeof(T)) ?? throw new InvalidOperationException($"{typeof(T).Name} is not in the model.");
        var sql = this.GetService<ISqlGenerationHelper>();
        var shape = InsertShapes.GetValue(entityType, type => InsertShape.Of(type, sql));
        var transaction = Database.CurrentTransaction?.GetDbTransaction() ?? throw new InvalidOperationException("InsertManyAsync runs inside the caller's transaction.");

        // SQLite finds each named parameter by a linear scan of the statement's names, so binding costs
        // the square of the parameter count: a few rows per statement keeps that small.
        foreach (var slice in rows.Chunk(Math.Max(1, MaxInsertParameters / shape.Columns.Count)))
        {
            await using var command = Database.GetDbConnection().CreateCommand();
            command.Transaction = transaction;
            var text = new System.Text.StringBuilder(shape.Head);
            var n = 0;
            for (var r = 0; r < slice.Length; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                for (var c = 0; c < shape.Columns.Count; c++)
                {
                    var name = "p" + n++.ToString(System.Globalization.CultureInfo.InvariantCulture);
                    var (property, getter, mapping) = shape.Columns[c];
                    // Named as the placeholder is (prefix included): SQLite then finds it at the first lookup.
                    command.Parameters.Add(mapping.CreateParameter(command, sql.GenerateParameterName(name), getter.GetValue(slice[r]), property.IsNullable));
                    text.Append(c == 0 ? "" : ", ").Append(sql.GenerateParameterNamePlaceholder(name));
                }

                text.Append(')');
            }

            command.CommandText = text.ToString();
            try
            {
                await command.ExecuteNonQueryAsync(ct);
            }
            catch (System.Data.Common.DbException e)
            {
                throw new DbUpdateException($"Inserting {slice.Length} {entityType.GetTableName()} rows failed.", e);
            }
        }
    }

    /// <summary>
    /// The write half of tenancy: new organization-scoped rows take the current organization, and
    /// no change may touch a row of another organization. Audit events are append-only.
    /// </summary>
    private void GuardTenancy()
    {
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.Entity is AuditEvent && entry.State is EntityState.Modified or EntityState.Deleted)
            {
                throw new InvalidOperationException("Audit events are append-only.");
            }

            if (entry.Entity is not IOrganizationScoped scoped || entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            StampTenant(scoped, entry.State == EntityState.Added);
        }
    }

    /// <summary>A new row without an organization takes the current one; any other row must already be the current one's.</summary>
    private void StampTenant(IOrganizationScoped scoped, bool added)
    {
        var current = tenant.OrganizationId
            ?? throw new InvalidOperationException("No organization is selected for this unit of work.");
        if (added && string.IsNullOrEmpty(scoped.OrganizationId))
        {
            scoped.OrganizationId = current;
        }
        else if (scoped.OrganizationId != current)
        {
            throw new InvalidOperationException("A row of another organization cannot be changed.");
        }
    }

    /// <summary>What <see cref="InsertManyAsync{T}"/> writes for an entity type: its columns (store-generated keys and computed columns left out) and the statement up to <c>VALUES</c>.</summary>
    private sealed record InsertShape(
        IReadOnlyList<(Microsoft.EntityFrameworkCore.Metadata.IProperty Property, System.Reflection.PropertyInfo Getter, RelationalTypeMapping Mapping)> Columns,
        string Head)
    {
        public static InsertShape Of(Microsoft.EntityFrameworkCore.Metadata.IEntityType entityType, ISqlGenerationHelper sql)
        {
            var table = Microsoft.EntityFrameworkCore.Metadata.StoreObjectIdentifier.Table(entityType.GetTableName()!, entityType.GetSchema());
            var columns = entityType.GetProperties()
                .Where(p => !(p.IsPrimaryKey() && p.ValueGenerated == Microsoft.EntityFrameworkCore.Metadata.ValueGenerated.OnAdd) && p.GetComputedColumnSql() is null)
                .Select(p => (p, p.PropertyInfo ?? throw new NotSupportedException($"{entityType.DisplayName()}.{p.Name} has no CLR property."), (RelationalTypeMapping)p.GetTypeMapping()))
                .ToList();
            var names = string.Join(", ", columns.Select(c => sql.DelimitIdentifier(c.Item1.GetColumnName(table)!)));
            return new InsertShape(columns, $"INSERT INTO {sql.DelimitIdentifier(table.Name, table.Schema)} ({names}) VALUES ");
        }
    }

    private sealed class UtcDateTimeConverter() : Microsoft.EntityFrameworkCore.Storage.ValueConversion.ValueConverter<DateTime, DateTime>(
        v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
        v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
}
