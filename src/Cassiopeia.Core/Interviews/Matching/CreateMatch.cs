using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Core.Interviews.Integrity;
using Cassiopeia.Core.Interviews.Prompts;
using Cassiopeia.Core.Interviews.Requirements;
using Cassiopeia.Core.Search;
using Cassiopeia.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Core.Interviews.Matching;

public sealed record CreateMatchRequest(string? CvDocumentId, string? JdDocumentId);

/// <summary>
/// A stored match with what the interview practice builds on: the requirements as extracted (in the
/// order of <see cref="MatchView.Requirements"/>, with their JD chunk) and the screened CV chunks.
/// </summary>
public sealed record MatchRun(Match Match, MatchView View, IReadOnlyList<Requirement> Requirements, IReadOnlyList<ScreenedChunk> CvChunks);

/// <summary>
/// Matches a CV against a job description: screen both documents (<see cref="IntegrityScreen"/>),
/// extract the JD's requirements (<see cref="ExtractRequirements"/>), find each requirement's evidence
/// in the CV through the search path restricted to the CV, judge it (<see cref="EvidenceAssessor"/>),
/// score (<see cref="MatchScore"/>), summarise, store with the prompt version, and record usage.
/// </summary>
public sealed partial class CreateMatch(
    AppDbContext db, Caller caller, SearchChunks search, EmbeddingModel model, ExtractRequirements extract, PromptVersions prompts,
    IUsageRecorder usage, UsageMeter meter, TimeProvider time, ILogger<CreateMatch> logger)
{
    public const string Operation = "match";

    /// <summary>Chunks read per document; CVs and job descriptions are far shorter.</summary>
    public const int MaxChunks = 2000;

    /// <summary>Chunks the search returns per requirement.</summary>
    public const int SearchTopK = 6;

    /// <summary>Cosine below which a semantic embedder's texts count as unrelated (averaged word vectors sit high).</summary>
    public const double SemanticFloor = 0.5;

    /// <summary>The same for the lexical embedder, whose cosine is close to word overlap.</summary>
    public const double LexicalFloor = 0.1;

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static Validation Validate(CreateMatchRequest request) => new Validation()
        .Require(request.CvDocumentId is { Length: > 0 and <= Ids.MaxLength }, "cvDocumentId", "Required: the id of a CV document.")
        .Require(request.JdDocumentId is { Length: > 0 and <= Ids.MaxLength }, "jdDocumentId", "Required: the id of a job description document.")
        .Require(request.CvDocumentId is null || request.CvDocumentId != request.JdDocumentId, "jdDocumentId", "Must be another document than the CV.");

    public async Task<Result<MatchView>> HandleAsync(CreateMatchRequest request, CancellationToken ct)
    {
        var run = await RunAsync(request, ct);
        return run.Succeeded ? run.Value!.View : run.Error!;
    }

    /// <summary>Validates, matches, stores the match and records its usage; interviews start from the same run.</summary>
    public async Task<Result<MatchRun>> RunAsync(CreateMatchRequest request, CancellationToken ct)
    {
        var validation = Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        if (await meter.EnsureAvailableAsync(Billing.Metrics.LlmTokens, ct) is { } noTokens)
        {
            return noTokens;
        }

        var started = Stopwatch.GetTimestamp();
        var cv = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.CvDocumentId, ct);
        var jd = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == request.JdDocumentId, ct);
        if ((NotUsable(cv, "CV") ?? NotUsable(jd, "job description")) is { } error)
        {
            return error;
        }

        var prompt = await prompts.ActiveAsync(PromptKinds.Match, ct);
        var flags = new List<IntegrityFlag>();
        var jdChunks = IntegrityScreen.Screen(await ChunksAsync(jd!.Id, ct), flags);
        var cvChunks = IntegrityScreen.Screen(await ChunksAsync(cv!.Id, ct), flags);

        var jdText = jdChunks.Where(c => c.Usable).Select(c => new SourceText(c.Chunk.ChunkId, c.Chunk.HeadingPath, c.UsableText)).ToList();
        var extracted = await extract.HandleAsync(jdText, prompt.Content, ct);
        var results = await AssessAsync(extracted.Requirements, cv.Id, cvChunks, ct);
        var score = MatchScore.Of(results);
        var summary = MatchSummary.Write(score, results, cvChunks, flags.Count);

        var match = new Match
        {
            Id = Ids.New("mat"),
            OrganizationId = caller.RequireOrganizationId,
            UserId = caller.RequireUserId,
            CvDocumentId = cv.Id,
            JdDocumentId = jd.Id,
            Score = score,
            Summary = summary,
            PromptVersion = prompt.Version,
            Extractor = extracted.Extractor,
            EmbeddingModelId = model.Id,
            Details = JsonSerializer.Serialize(new MatchDetails(results, flags), Json),
            CreatedUtc = StoredTime.Now(time),
        };
        db.Matches.Add(match);
        await db.SaveChangesAsync(ct);
        await usage.RecordAsync(new UsageRecord(match.OrganizationId, caller.UserId, caller.ApiKeyId, Operation, extracted.Model, extracted.Tokens, match.CreatedUtc), ct);
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogMatched(logger, match.Id, results.Count, score, extracted.Extractor, prompt.Version, flags.Count, elapsed.TotalMilliseconds);
        return new MatchRun(match, GetMatch.View(match, results, flags), extracted.Requirements, cvChunks);
    }

    private static Error? NotUsable(Document? document, string what)
    {
        if (document is null)
        {
            return new Error(ErrorKind.NotFound, "not-found", $"The {what} document does not exist.");
        }

        return document.Status == DocumentStatuses.Ready ? null
            : new Error(ErrorKind.Conflict, "document-not-ready", $"The {what} document {document.Id} is {document.Status}; a match or an interview needs both documents ready."
                + (document.Status == DocumentStatuses.Failed ? " Its ingestion failed: retry it or upload the file again." : " Wait until its status is ready."));
    }

    private async Task<List<StoredChunk>> ChunksAsync(string documentId, CancellationToken ct) =>
        await ChunkErasure.Of(db, documentId).AsNoTracking()
            .OrderBy(c => c.Ordinal)
            .Take(MaxChunks)
            .Select(c => new StoredChunk(c.DocumentId, c.Id, c.Text, c.Suspect, c.ModelId, c.Vector, c.HeadingPath))
            .ToListAsync(ct);

    private async Task<List<RequirementMatch>> AssessAsync(IReadOnlyList<Requirement> requirements, string cvId, IReadOnlyList<ScreenedChunk> cv, CancellationToken ct)
    {
        if (requirements.Count == 0)
        {
            return [];
        }

        var byId = cv.ToDictionary(c => c.Chunk.ChunkId, StringComparer.Ordinal);
        var vectors = await ChunkVectorsAsync(cv, ct);
        var requirementVectors = await model.Generator.GenerateAsync(requirements.Select(r => r.Text), cancellationToken: ct);
        var years = ExperienceYears.Read(cv.Where(c => c.Usable).Select(c => c.UsableText), time.GetUtcNow().UtcDateTime);
        var floor = model.IsSemantic ? SemanticFloor : LexicalFloor;
        var results = new List<RequirementMatch>(requirements.Count);
        var found = await search.FindManyAsync(requirements.Select(r => r.Text).ToList(), SearchTopK, SearchModes.Hybrid, [cvId], null, ct);
        for (var i = 0; i < requirements.Count; i++)
        {
            var hits = found[i];
            var query = requirementVectors[i].Vector.ToArray();
            var candidates = hits
                .Where(h => byId.ContainsKey(h.ChunkId))
                .Select(h => new EvidenceCandidate(byId[h.ChunkId], vectors.TryGetValue(h.ChunkId, out var v) ? Similarity.Cosine(query, v) : 0))
                .ToList();
            results.Add(EvidenceAssessor.Assess(requirements[i], candidates, years, floor));
        }

        return results;
    }

    /// <summary>Each usable chunk's vector: the stored one, or a fresh one when sentences were removed or the model changed since.</summary>
    private async Task<Dictionary<string, float[]>> ChunkVectorsAsync(IReadOnlyList<ScreenedChunk> cv, CancellationToken ct)
    {
        var vectors = new Dictionary<string, float[]>(StringComparer.Ordinal);
        var stale = new List<ScreenedChunk>();
        foreach (var chunk in cv.Where(c => c.Usable))
        {
            if (!chunk.Cleaned && chunk.Chunk.ModelId == model.Id && chunk.Chunk.Vector.Length == model.Dimensions * sizeof(float))
            {
                vectors[chunk.Chunk.ChunkId] = MemoryMarshal.Cast<byte, float>(chunk.Chunk.Vector).ToArray();
            }
            else
            {
                stale.Add(chunk);
            }
        }

        if (stale.Count > 0)
        {
            var fresh = await model.Generator.GenerateAsync(stale.Select(c => c.UsableText), cancellationToken: ct);
            for (var i = 0; i < stale.Count; i++)
            {
                vectors[stale[i].Chunk.ChunkId] = fresh[i].Vector.ToArray();
            }
        }

        return vectors;
    }


    [LoggerMessage(Level = LogLevel.Information, Message = "Match {MatchId}: {Requirements} requirements, score {Score} (extractor {Extractor}, prompt {PromptVersion}, {Flags} integrity flags) in {ElapsedMs:0} ms")]
    private static partial void LogMatched(ILogger logger, string matchId, int requirements, int score, string extractor, string promptVersion, int flags, double elapsedMs);
}
