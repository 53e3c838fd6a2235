using Cassiopeia.Core.Data;
using Cassiopeia.Core.Search;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Infrastructure.Search;

/// <summary>BM25 over the FTS5 table the migrations keep in step with <c>chunks</c>.</summary>
public sealed class SqliteKeywordIndex(AppDbContext db) : IKeywordIndex
{
    public async Task<IReadOnlyList<IndexHit>> SearchAsync(string organizationId, string query, int topK, IReadOnlyCollection<string>? documentIds, CancellationToken ct)
    {
        var terms = KeywordQuery.Terms(query);
        if (terms.Count == 0)
        {
            return [];
        }

        // Every term is quoted, so nothing the user typed is read as FTS5 syntax.
        var match = string.Join(" OR ", terms.Select(t => $"\"{t}\""));
        var ids = documentIds is null ? null : System.Text.Json.JsonSerializer.Serialize(documentIds);
        var rows = await db.Database.SqlQuery<Row>($"""
            SELECT c.Id AS ChunkId, c.DocumentId AS DocumentId, -bm25(chunks_fts) AS Score
            FROM chunks_fts JOIN chunks c ON c.Seq = chunks_fts.rowid
            WHERE chunks_fts MATCH {match} AND c.OrganizationId = {organizationId}
              AND ({ids} IS NULL OR c.DocumentId IN (SELECT value FROM json_each({ids})))
            ORDER BY bm25(chunks_fts)
            LIMIT {topK}
            """).ToListAsync(ct);
        return rows.ConvertAll(r => new IndexHit(r.ChunkId, r.DocumentId, r.Score));
    }

    private sealed record Row(string ChunkId, string DocumentId, double Score);
}
