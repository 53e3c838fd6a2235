using System.Diagnostics;
using System.Security.Cryptography;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Cassiopeia.Infrastructure.Persistence;
using Cassiopeia.Infrastructure.TextExtraction;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Bench.Ingestion;

/// <summary>
/// The floor of ingestion: the same extraction (<see cref="PlainTextExtractor"/>), chunking
/// (<see cref="Chunker.Split"/> with the configured options) and embedding model (built by
/// <c>AddEmbeddings</c>) as the pipeline, then the document rows and all chunks with their vectors
/// written by EF in one transaction into a fresh, migrated SQLite database (the same FTS5 triggers
/// fire). No HTTP, storage, queue, leases or per-document transactions. Settings come from the
/// environment as for the server (<c>Embeddings__*</c>, <c>Ingestion__*</c>).
/// </summary>
public static class FloorRun
{
    public static async Task<FloorReport> RunAsync(IReadOnlyList<CorpusDocument> corpus, IReadOnlyList<CorpusDocument> warmUp, string dataDirectory, CancellationToken ct)
    {
        var configuration = new ConfigurationBuilder()
            .AddEnvironmentVariables()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["Cassiopeia:DataDirectory"] = dataDirectory })
            .Build();
        var services = new ServiceCollection()
            .AddSingleton<IConfiguration>(configuration)
            .AddLogging()
            .AddSingleton(TimeProvider.System)
            .AddScoped<TenantContext>()
            .AddPersistence(configuration)
            .AddEmbeddings(configuration);
        services.AddOptions<IngestionOptions>().Bind(configuration.GetSection(IngestionOptions.SectionName));
        await using var provider = services.BuildServiceProvider();
        await DatabaseMigrator.MigrateAsync(provider, ct);

        // Outside the timing, as the server is warmed: loading the model, and JIT of the steps (the
        // warm-up documents, when given, are written too, into an organization of their own).
        var model = provider.GetRequiredService<EmbeddingModel>();
        var settings = provider.GetRequiredService<IOptions<IngestionOptions>>().Value;
        var extractor = new PlainTextExtractor();
        // In two rounds with pauses, as the server is (see UploadRun): time for the JIT's tier-up.
        var firstRound = warmUp.Count > 0 ? warmUp.Take(warmUp.Count * 3 / 4).ToList() : corpus.Take(20).ToList();
        var warm = await PrepareAsync(firstRound, extractor, model, settings, ct);
        if (warmUp.Count > 0)
        {
            await WriteAsync(provider, await CreateOrganizationAsync(provider, ct), warm, model, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            var secondRound = await PrepareAsync(warmUp.Skip(firstRound.Count).ToList(), extractor, model, settings, ct);
            await WriteAsync(provider, await CreateOrganizationAsync(provider, ct), secondRound, model, ct);
        }

        await Task.Delay(TimeSpan.FromSeconds(3), ct);
        IReadOnlyList<double> settling = [];
        if (warmUp.Count > 0)
        {
            settling = await JitSettling.SettleAsync(
                async round =>
                {
                    var documents = await PrepareAsync(CorpusDocument.SettleRound(corpus, round, JitSettling.RoundSize), extractor, model, settings, ct);
                    await WriteAsync(provider, await CreateOrganizationAsync(provider, ct), documents, model, ct);
                },
                () => Task.FromResult(System.Runtime.JitInfo.GetCompilationTime().TotalSeconds),
                ct);
        }

        var jitBefore = System.Runtime.JitInfo.GetCompilationTime();

        var organizationId = await CreateOrganizationAsync(provider, ct);

        var started = Stopwatch.GetTimestamp();
        var prepared = await PrepareAsync(corpus, extractor, model, settings, ct);
        var prepareSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var writeStarted = Stopwatch.GetTimestamp();
        var chunkCount = await WriteAsync(provider, organizationId, prepared, model, ct);
        var writeSeconds = Stopwatch.GetElapsedTime(writeStarted).TotalSeconds;
        var totalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        return new FloorReport(
            corpus.Count, prepared.Count, corpus.Count - prepared.Count, chunkCount, model.Id,
            Math.Round(prepareSeconds, 2), Math.Round(writeSeconds, 2), Math.Round(totalSeconds, 2),
            Math.Round(prepared.Count / totalSeconds, 1), Math.Round(chunkCount / totalSeconds, 1),
            PeakResidentMegabytes(), settling, Math.Round((System.Runtime.JitInfo.GetCompilationTime() - jitBefore).TotalSeconds, 3));
    }

    /// <summary>Extract, chunk and embed every document; identical files are kept once, as uploads deduplicate them.</summary>
    private static async Task<List<PreparedDocument>> PrepareAsync(
        IReadOnlyList<CorpusDocument> corpus, PlainTextExtractor extractor, EmbeddingModel model, IngestionOptions settings, CancellationToken ct)
    {
        var limits = new ExtractionLimits(settings.MaxPages, settings.MaxCharacters, settings.StepTimeout);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var documents = new List<PreparedDocument>(corpus.Count);
        foreach (var source in corpus)
        {
            var bytes = source.ToFile();
            var sha256 = Convert.ToHexStringLower(SHA256.HashData(bytes));
            if (!seen.Add(sha256))
            {
                continue;
            }

            using var content = new MemoryStream(bytes, writable: false);
            var extracted = await extractor.ExtractAsync(content, limits, ct);
            documents.Add(new PreparedDocument(source, bytes.Length, sha256, Chunker.Split(extracted, model.Tokens, settings.Chunking)));
        }

        // Embedded in batches across documents: the cheapest way the model can be driven.
        var drafts = documents.SelectMany(d => d.Drafts).ToList();
        var vectors = new List<float[]>(drafts.Count);
        foreach (var batch in drafts.Chunk(settings.EmbeddingBatchSize))
        {
            var generated = await model.Generator.GenerateAsync(batch.Select(d => d.Text), cancellationToken: ct);
            vectors.AddRange(generated.Select(g => g.Vector.ToArray()));
        }

        var next = 0;
        foreach (var document in documents)
        {
            document.Vectors = vectors.GetRange(next, document.Drafts.Count);
            next += document.Drafts.Count;
        }

        return documents;
    }

    /// <summary>The document rows, then their chunks (the foreign key needs the documents), in one transaction.</summary>
    private static async Task<int> WriteAsync(IServiceProvider provider, string organizationId, List<PreparedDocument> prepared, EmbeddingModel model, CancellationToken ct)
    {
        await using var scope = provider.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<TenantContext>().Enter(organizationId);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = DateTime.UtcNow;
        var userId = Ids.New("usr");
        var chunks = 0;
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        foreach (var source in prepared)
        {
            var document = new Document
            {
                Id = Ids.New("doc"),
                OrganizationId = organizationId,
                UserId = userId,
                Kind = "other",
                Title = source.Corpus.FileName,
                FileName = source.Corpus.FileName,
                ContentType = ContentSniffer.Text,
                Size = source.Size,
                Sha256 = source.Sha256,
                Status = DocumentStatuses.Ready,
                ChunkCount = source.Drafts.Count,
                CreatedUtc = now,
                UpdatedUtc = now,
            };
            db.Documents.Add(document);
            for (var i = 0; i < source.Drafts.Count; i++)
            {
                var draft = source.Drafts[i];
                db.Chunks.Add(Chunk.From(organizationId, document.Id, draft, model, source.Vectors[i]));
                chunks++;
            }
        }

        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return chunks;
    }

    private static async Task<string> CreateOrganizationAsync(IServiceProvider provider, CancellationToken ct)
    {
        await using var scope = provider.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var organization = new Organization { Id = Ids.New("org"), Name = "Floor", CreatedUtc = DateTime.UtcNow };
        db.Organizations.Add(organization);
        await db.SaveChangesAsync(ct);
        return organization.Id;
    }

    /// <summary>VmHWM of this process in MB (Linux), 0 elsewhere.</summary>
    private static long PeakResidentMegabytes()
    {
        const string Status = "/proc/self/status";
        var line = File.Exists(Status) ? File.ReadLines(Status).FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)) : null;
        return line is null ? 0 : long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture) / 1024;
    }

    private sealed record PreparedDocument(CorpusDocument Corpus, int Size, string Sha256, IReadOnlyList<ChunkDraft> Drafts)
    {
        public List<float[]> Vectors { get; set; } = [];
    }
}

public sealed record FloorReport(
    int Documents, int Written, int Duplicates, int Chunks, string ModelId,
    double PrepareSeconds, double WriteSeconds, double TotalSeconds, double DocumentsPerSecond, double ChunksPerSecond, long PeakRssMb,
    IReadOnlyList<double> SettlingJitSeconds, double TimedJitSeconds);
