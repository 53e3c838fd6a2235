using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Ingestion;

/// <summary>Deletes a document's chunks; the keyword index follows by trigger, the vector index by its generation check.</summary>
public sealed class ChunkErasure(AppDbContext db) : IDocumentErasure
{
    public Task EraseAsync(string organizationId, string documentId, CancellationToken ct) =>
        Of(db, documentId).ExecuteDeleteAsync(ct);

    /// <summary>
    /// The chunks of a document the caller already found in its organization, selected by document id
    /// alone: SQLite then seeks the (DocumentId, Ordinal) index, where the tenant filter in the SQL
    /// would make it walk the organization's chunks. Document ids are unique across organizations.
    /// </summary>
    internal static IQueryable<Chunk> Of(AppDbContext db, string documentId) =>
        db.Chunks.IgnoreQueryFilters().Where(c => c.DocumentId == documentId);

    /// <summary>The chunks of several such documents (an index seek per id, as above).</summary>
    internal static IQueryable<Chunk> Of(AppDbContext db, IReadOnlyCollection<string> documentIds) =>
        db.Chunks.IgnoreQueryFilters().Where(c => documentIds.Contains(c.DocumentId));
}
