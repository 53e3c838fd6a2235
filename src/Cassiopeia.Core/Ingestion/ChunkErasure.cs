using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Ingestion;

/// <summary>Deletes a document's chunks; the keyword index follows by trigger, the vector index by its generation check.</summary>
public sealed class ChunkErasure(AppDbContext db) : IDocumentErasure
{
    // By document id alone (an index seek): the caller found the document in its organization, and
    // with the tenant filter in the SQL SQLite would walk the organization's chunks instead.
    public Task EraseAsync(string organizationId, string documentId, CancellationToken ct) =>
        db.Chunks.IgnoreQueryFilters().Where(c => c.DocumentId == documentId).ExecuteDeleteAsync(ct);
}
