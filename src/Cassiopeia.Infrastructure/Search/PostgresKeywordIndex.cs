using Cassiopeia.Core.Data;
using Cassiopeia.Core.Search;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Infrastructure.Search;

/// <summary><c>ts_rank_cd</c> over the generated, GIN-indexed <c>SearchVector</c> column of <c>chunks</c>.</summary>
public sealed class PostgresKeywordIndex(AppDbContext db) : IKeywordIndex
{
    public async Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string query, int topK, IReadOnlyCollection<string>? documentIds, CancellationToken ct)
    {
        var terms = KeywordQuery.Terms(query);
        if (terms.Count == 0)
        {
            return [];
        }

        // Terms are letters and digits only, so joining them with | cannot form other tsquery syntax.
        var tsquery = string.Join(" | ", terms);
        var ids = documentIds?.ToArray();
        var filtered = ids is not null;
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT c."Id" AS "ChunkId", c."DocumentId" AS "DocumentId", ts_rank_cd(c."SearchVector", q)::float8 AS "Score"
            FROM chunks c, to_tsquery('english', {tsquery}) q
            WHERE c."OrganizationId" = {organizationId} AND c."SearchVector" @@ q
              AND (NOT {filtered} OR c."DocumentId" = ANY({ids ?? []}))
            ORDER BY "Score" DESC
            LIMIT {topK}
            """).ToListAsync(ct);
        return rows.ConvertAll(r => new IndexHit(r.ChunkId, r.DocumentId, r.Score));
    }

    private sealed record Row(string ChunkId, string DocumentId, double Score);
}
