using System.Diagnostics;
using System.Text;
using Cassiopeia.Core;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Jobs;
using Cassiopeia.Infrastructure;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Cassiopeia.Infrastructure.Persistence;
using Cassiopeia.Infrastructure.Storage;
using Cassiopeia.Infrastructure.TextExtraction;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Quality;

/// <summary>
/// The service's own composition (core, persistence, blob storage, embeddings, text extraction and
/// the ingestion worker) in a plain host without HTTP, on a data directory of its own. Documents go
/// in through <see cref="UploadDocument"/> and the worker, exactly as uploads over HTTP do.
/// </summary>
public sealed class QualityHost : IAsyncDisposable
{
    private const string MapFile = "corpus-map.tsv";
    private readonly IHost _host;
    private readonly string _dataDirectory;
    private string _organizationId = "";
    private string _userId = "";

    private QualityHost(IHost host, string dataDirectory)
    {
        _host = host;
        _dataDirectory = dataDirectory;
    }

    /// <summary>Cassiopeia document id → the corpus ids it holds (more than one only for byte-identical corpus entries).</summary>
    public Dictionary<string, List<string>> CorpusIds { get; } = new(StringComparer.Ordinal);

    public static async Task<QualityHost> StartAsync(string dataDirectory, IReadOnlyDictionary<string, string?> settings, CancellationToken ct)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>(settings)
        {
            ["Cassiopeia:DataDirectory"] = dataDirectory,
            ["Database:Provider"] = "Sqlite",
        });
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.Logging.AddFilter("Cassiopeia.Infrastructure.Ai", LogLevel.Information);
        var services = builder.Services;
        services.AddOptions<DataDirectoryOptions>().BindConfiguration(DataDirectoryOptions.SectionName);
        services.AddCassiopeiaCore();
        services.AddPersistence(builder.Configuration);
        services.AddBlobStorage(builder.Configuration);
        services.AddEmbeddings(builder.Configuration);
        services.AddTextExtraction();
        services.AddHostedService<IngestionWorker>();
        var host = builder.Build();
        await DatabaseMigrator.MigrateAsync(host.Services, ct);
        await host.StartAsync(ct);
        var quality = new QualityHost(host, dataDirectory);
        await quality.EnsureAccountAsync(ct);
        return quality;
    }

    /// <summary>A scope acting as the owner of the benchmark's organization.</summary>
    public AsyncServiceScope Scope()
    {
        var scope = _host.Services.CreateAsyncScope();
        var caller = scope.ServiceProvider.GetRequiredService<Caller>();
        caller.Authenticate(_userId, null, null);
        caller.SelectOrganization(_organizationId, Role.Owner);
        return scope;
    }

    /// <summary>
    /// Uploads every corpus document (title, blank line, text: one plain-text file named after its
    /// corpus id) unless a previous run left a complete map, then waits until none is queued or processing.
    /// </summary>
    public async Task IngestAsync(IEnumerable<CorpusDocument> corpus, CancellationToken ct)
    {
        var mapPath = Path.Combine(_dataDirectory, MapFile);
        if (File.Exists(mapPath))
        {
            foreach (var line in await File.ReadAllLinesAsync(mapPath, ct))
            {
                var fields = line.Split('\t');
                Add(fields[1], fields[0]);
            }

            Console.Error.WriteLine($"Reusing {CorpusIds.Count} documents ingested earlier in {_dataDirectory}");
        }
        else
        {
            var started = Stopwatch.StartNew();
            var lines = new List<string>();
            foreach (var document in corpus)
            {
                var documentId = await UploadAsync(document, ct);
                Add(documentId, document.Id);
                lines.Add($"{document.Id}\t{documentId}");
                if (lines.Count % 1000 == 0)
                {
                    Console.Error.WriteLine($"Uploaded {lines.Count} documents in {started.Elapsed.TotalSeconds:0} s");
                }
            }

            await WaitUntilProcessedAsync(ct);
            await File.WriteAllLinesAsync(mapPath, lines, ct);
            Console.Error.WriteLine($"Ingested {lines.Count} documents in {started.Elapsed.TotalSeconds:0} s");
        }

        await using var scope = Scope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var statuses = await db.Documents.GroupBy(d => d.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync(ct);
        var chunks = await db.Chunks.CountAsync(ct);
        Console.Error.WriteLine($"Documents: {string.Join(", ", statuses.Select(s => $"{s.Count} {s.Key}"))}; {chunks} chunks");
    }

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }

    private void Add(string documentId, string corpusId)
    {
        if (!CorpusIds.TryGetValue(documentId, out var ids))
        {
            CorpusIds[documentId] = ids = [];
        }

        ids.Add(corpusId);
    }

    private async Task<string> UploadAsync(CorpusDocument document, CancellationToken ct)
    {
        await using var scope = Scope();
        var upload = scope.ServiceProvider.GetRequiredService<UploadDocument>();
        var text = document.Title.Length == 0 ? document.Text : $"{document.Title}\n\n{document.Text}";
        await using var content = new MemoryStream(Encoding.UTF8.GetBytes(text + "\n"));
        var staged = await upload.StageAsync($"{document.Id}.txt", "text/plain", content, ct);
        if (!staged.Succeeded)
        {
            throw new InvalidOperationException($"Corpus document {document.Id} was refused: {staged.Error!.Detail}");
        }

        var completed = await upload.CompleteAsync(staged.Value!, new UploadFields("other", null, null), ct);
        return completed.Succeeded
            ? completed.Value.Document.Id
            : throw new InvalidOperationException($"Corpus document {document.Id} was refused: {completed.Error!.Detail}");
    }

    private async Task WaitUntilProcessedAsync(CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        while (true)
        {
            await using (var scope = Scope())
            {
                var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
                var pending = await db.Documents.CountAsync(d => d.Status == DocumentStatuses.Queued || d.Status == DocumentStatuses.Processing, ct);
                if (pending == 0)
                {
                    return;
                }

                if (started.Elapsed > TimeSpan.FromSeconds(10))
                {
                    Console.Error.WriteLine($"Waiting for {pending} documents to be processed");
                    started.Restart();
                }
            }

            await Task.Delay(TimeSpan.FromSeconds(1), ct);
        }
    }

    /// <summary>One user owning one organization, created on first start and found again afterwards.</summary>
    private async Task EnsureAccountAsync(CancellationToken ct)
    {
        await using var scope = _host.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var membership = await db.Memberships.AsNoTracking().OrderBy(m => m.CreatedUtc).FirstOrDefaultAsync(ct);
        if (membership is null)
        {
            var now = DateTime.UtcNow;
            var user = new User { Id = Ids.New("usr"), Email = "quality@example.com", NormalizedEmail = "quality@example.com", PasswordHash = "-", CreatedUtc = now, UpdatedUtc = now };
            var organization = new Organization { Id = Ids.New("org"), Name = "Retrieval quality", CreatedUtc = now };
            membership = new Membership { OrganizationId = organization.Id, UserId = user.Id, Role = Role.Owner, CreatedUtc = now };
            db.AddRange(user, organization, membership);
            await db.SaveChangesAsync(ct);
        }

        _organizationId = membership.OrganizationId;
        _userId = membership.UserId;
    }
}
