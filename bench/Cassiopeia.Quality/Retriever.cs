using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Ingestion;
using Cassiopeia.Core.Search;
using Cassiopeia.Core.Search.Evaluation;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.Quality;

/// <summary>A chunk hit reduced to what evaluation needs.</summary>
public sealed record ChunkHit(string ChunkId, string DocumentId, double Score);

/// <summary>
/// Runs queries through <see cref="SearchChunks.FindAsync"/> in-process (the HTTP API caps topK at
/// 50; Recall@100 needs deeper lists) and turns chunk hits into a document run: each document
/// takes its best chunk's score, in the order the chunks came, cut at <paramref name="documentDepth"/>.
/// </summary>
public sealed class Retriever(QualityHost host, int chunkDepth, int documentDepth)
{
    public async Task<IReadOnlyList<ChunkHit>> FindAsync(string query, string mode, int topK, CancellationToken ct)
    {
        await using var scope = host.Scope();
        var search = scope.ServiceProvider.GetRequiredService<SearchChunks>();
        var hits = await search.FindAsync(query, topK, mode, null, null, ct);
        return hits.Select(h => new ChunkHit(h.ChunkId, h.DocumentId, h.Score)).ToList();
    }

    /// <summary>The keyword and vector candidate lists hybrid search fuses, straight from the indexes (for tuning the fusion).</summary>
    public async Task<(IReadOnlyList<ChunkHit> Keyword, IReadOnlyList<ChunkHit> Vector)> CandidatesAsync(string query, int candidates, CancellationToken ct)
    {
        await using var scope = host.Scope();
        var services = scope.ServiceProvider;
        var organizationId = services.GetRequiredService<Caller>().RequireOrganizationId;
        var model = services.GetRequiredService<EmbeddingModel>();
        var keyword = await services.GetRequiredService<IKeywordIndex>().SearchAsync(organizationId, query, candidates, null, ct);
        var embedding = await model.Generator.GenerateAsync([query], cancellationToken: ct);
        var vector = await services.GetRequiredService<IVectorIndex>().SearchAsync(organizationId, model.Id, embedding[0].Vector, candidates, null, ct);
        return (Convert(keyword), Convert(vector));

        static List<ChunkHit> Convert(IReadOnlyList<IndexHit> hits) => hits.Select(h => new ChunkHit(h.ChunkId, h.DocumentId, h.Score)).ToList();
    }

    public async Task<Dictionary<string, IReadOnlyList<ScoredDocument>>> RunAsync(IReadOnlyDictionary<string, string> queries, string mode, CancellationToken ct)
    {
        var run = new Dictionary<string, IReadOnlyList<ScoredDocument>>(StringComparer.Ordinal);
        foreach (var (queryId, text) in queries)
        {
            run[queryId] = ToDocuments(await FindAsync(text, mode, chunkDepth, ct));
        }

        return run;
    }

    public IReadOnlyList<ScoredDocument> ToDocuments(IEnumerable<ChunkHit> hits)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var documents = new List<ScoredDocument>(documentDepth);
        foreach (var hit in hits.Take(chunkDepth))
        {
            if (!seen.Add(hit.DocumentId))
            {
                continue;
            }

            foreach (var corpusId in host.CorpusIds.GetValueOrDefault(hit.DocumentId) ?? [])
            {
                documents.Add(new ScoredDocument(corpusId, hit.Score));
            }

            if (seen.Count == documentDepth)
            {
                break;
            }
        }

        return documents;
    }
}
