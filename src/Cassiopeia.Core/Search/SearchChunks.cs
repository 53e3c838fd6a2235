using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;

namespace Cassiopeia.Core.Search;

public static class SearchModes
{
    public const string Hybrid = "hybrid";
    public const string Vector = "vector";
    public const string Keyword = "keyword";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Hybrid, Vector, Keyword };
}

public sealed record SearchRequest(string? Query, int? TopK = null, string? Mode = null, IReadOnlyList<string>? DocumentIds = null, IReadOnlyList<string>? Kinds = null);

public sealed record SearchResult(string DocumentId, string ChunkId, string Text, double Score, int? Page);

public sealed record SearchResponse(IReadOnlyList<SearchResult> Results);

/// <summary>
/// Finds the chunks of the caller's organization that best match a query: by keyword (BM25 /
/// ts_rank), by vector (cosine), or both fused with reciprocal rank fusion. Only chunks of
/// documents that are <c>ready</c> and pass the filters are returned.
/// </summary>
public sealed class SearchChunks(AppDbContext db, Caller caller, IKeywordIndex keywords, IVectorIndex vectors, EmbeddingModel model)
{
    public const int DefaultTopK = 10;
    public const int MaxTopK = 50;
    public const int MaxQueryLength = 2000;
    public const int MaxDocumentFilter = 100;

    /// <summary>
    /// RRF's constant. Cormack et al. (2009) use 60; on BEIR SciFact's train split 1 ranked best
    /// with the weights below (the top ranks of each list decide; see docs/benchmarks.md).
    /// </summary>
    public const int RrfK = 1;

    /// <summary>Share of the fused score carried by the keyword list (the vector list carries the rest); tuned on BEIR SciFact's train split.</summary>
    public const double KeywordWeight = 0.8;

    public static Validation Validate(SearchRequest request) => new Validation()
        .Text(request.Query, "query", MaxQueryLength, required: true)
        .Require(request.TopK is null or (>= 1 and <= MaxTopK), "topK", $"Between 1 and {MaxTopK}.")
        .Require(request.Mode is null || SearchModes.All.Contains(request.Mode), "mode", "One of hybrid, vector, keyword.")
        .Require(request.DocumentIds is null || (request.DocumentIds.Count is > 0 and <= MaxDocumentFilter && request.DocumentIds.All(id => id is { Length: > 0 and <= Ids.MaxLength })), "documentIds", $"1 to {MaxDocumentFilter} document ids.")
        .Require(request.Kinds is null || (request.Kinds.Count > 0 && request.Kinds.All(k => k is not null && DocumentKinds.All.Contains(k))), "kinds", "Each one of cv, jd, rubric, other.");

    public async Task<Result<SearchResponse>> RunAsync(SearchRequest request, CancellationToken ct)
    {
        var validation = Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        var hits = await FindAsync(request.Query!, request.TopK ?? DefaultTopK, request.Mode ?? SearchModes.Hybrid, request.DocumentIds, request.Kinds, ct);
        return new SearchResponse(hits);
    }

    /// <summary>The best <paramref name="topK"/> chunks; also the retrieval step of answering questions.</summary>
    public async Task<IReadOnlyList<SearchResult>> FindAsync(string query, int topK, string mode, IReadOnlyList<string>? documentIds, IReadOnlyList<string>? kinds, CancellationToken ct) =>
        (await FindManyAsync([query], topK, mode, documentIds, kinds, ct))[0];

    /// <summary>
    /// The best <paramref name="topK"/> chunks for each of <paramref name="queries"/> under the same filters,
    /// exactly as <see cref="FindAsync"/> finds them one by one, with the filters resolved once, the queries
    /// embedded in one batch and the chunks read in one query (a match searches once per requirement).
    /// </summary>
    public async Task<IReadOnlyList<IReadOnlyList<SearchResult>>> FindManyAsync(IReadOnlyList<string> queries, int topK, string mode, IReadOnlyList<string>? documentIds, IReadOnlyList<string>? kinds, CancellationToken ct)
    {
        var organizationId = caller.RequireOrganizationId;
        var allowed = await AllowedDocumentsAsync(documentIds, kinds, ct);
        if (queries.Count == 0 || allowed is { Count: 0 })
        {
            return queries.Select(_ => (IReadOnlyList<SearchResult>)[]).ToList();
        }

        // Fetch more than asked from each side: fusion reorders, and rows of unfinished documents are dropped below.
        var candidates = Math.Max(topK * 4, 40);
        var embeddings = mode == SearchModes.Keyword ? null : await model.Generator.GenerateAsync(queries, cancellationToken: ct);
        var rankings = new List<List<(string ChunkId, double Score)>>(queries.Count);
        for (var i = 0; i < queries.Count; i++)
        {
            IReadOnlyList<IndexHit> keywordHits = mode == SearchModes.Vector ? [] : await keywords.SearchAsync(organizationId, queries[i], candidates, allowed, ct);
            IReadOnlyList<IndexHit> vectorHits = embeddings is null ? [] : await vectors.SearchAsync(organizationId, model.Id, embeddings[i].Vector, candidates, allowed, ct);
            rankings.Add(mode switch
            {
                SearchModes.Keyword => keywordHits.Select(h => (h.ChunkId, h.Score)).ToList(),
                SearchModes.Vector => vectorHits.Select(h => (h.ChunkId, h.Score)).ToList(),
                _ => Fuse((keywordHits, KeywordWeight), (vectorHits, 1 - KeywordWeight)),
            });
        }

        var chunks = await MaterializeAsync(rankings.SelectMany(r => r.Select(h => h.ChunkId)).Distinct(StringComparer.Ordinal).ToList(), ct);
        return rankings.ConvertAll(ranked => (IReadOnlyList<SearchResult>)ranked
            .Where(r => chunks.ContainsKey(r.ChunkId))
            .Take(topK)
            .Select(r => chunks[r.ChunkId] with { Score = r.Score })
            .ToList());
    }

    /// <summary>Weighted reciprocal rank fusion: each list adds weight / (k + rank) for every chunk it ranks.</summary>
    public static List<(string ChunkId, double Score)> Fuse(params (IReadOnlyList<IndexHit> Hits, double Weight)[] lists)
    {
        var scores = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (var (list, weight) in lists)
        {
            for (var rank = 0; rank < list.Count; rank++)
            {
                scores[list[rank].ChunkId] = scores.GetValueOrDefault(list[rank].ChunkId) + (weight / (RrfK + rank + 1));
            }
        }

        return scores.OrderByDescending(s => s.Value).ThenBy(s => s.Key, StringComparer.Ordinal).Select(s => (s.Key, s.Value)).ToList();
    }

    /// <summary>Null when nothing restricts the documents; else the ready documents the filters allow.</summary>
    private async Task<HashSet<string>?> AllowedDocumentsAsync(IReadOnlyList<string>? documentIds, IReadOnlyList<string>? kinds, CancellationToken ct)
    {
        if (documentIds is null && kinds is null)
        {
            return null;
        }

        var query = db.Documents.AsNoTracking().Where(d => d.Status == DocumentStatuses.Ready);
        if (documentIds is not null)
        {
            query = query.Where(d => documentIds.Contains(d.Id));
        }

        if (kinds is not null)
        {
            query = query.Where(d => kinds.Contains(d.Kind));
        }

        return (await query.Select(d => d.Id).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
    }

    /// <summary>The chunks of <paramref name="wanted"/> that belong to ready documents of the caller's organization.</summary>
    private async Task<Dictionary<string, SearchResult>> MaterializeAsync(List<string> wanted, CancellationToken ct)
    {
        // Looked up by primary keys alone, tenancy checked on the rows: with the tenancy filter in the
        // SQL, SQLite (no statistics) prefers the (OrganizationId, Seq) index and reads every chunk of
        // the organization, half a second at 400k chunks, instead of the few ids asked for.
        var organizationId = caller.RequireOrganizationId;
        var chunks = await db.Chunks.IgnoreQueryFilters().AsNoTracking()
            .Where(c => wanted.Contains(c.Id))
            .Select(c => new { c.Id, c.OrganizationId, c.DocumentId, c.Text, c.Page })
            .ToListAsync(ct);
        var documentIds = chunks.Where(c => c.OrganizationId == organizationId).Select(c => c.DocumentId).Distinct().ToList();
        var ready = (await db.Documents.IgnoreQueryFilters().AsNoTracking()
            .Where(d => documentIds.Contains(d.Id) && d.Status == DocumentStatuses.Ready)
            .Select(d => new { d.Id, d.OrganizationId })
            .ToListAsync(ct))
            .Where(d => d.OrganizationId == organizationId)
            .Select(d => d.Id)
            .ToHashSet(StringComparer.Ordinal);
        return chunks.Where(c => c.OrganizationId == organizationId && ready.Contains(c.DocumentId))
            .ToDictionary(c => c.Id, c => new SearchResult(c.DocumentId, c.Id, c.Text, 0, c.Page), StringComparer.Ordinal);
    }
}
