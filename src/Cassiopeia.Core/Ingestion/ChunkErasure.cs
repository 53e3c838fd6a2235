using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Ingestion;

/// <summary>Deletes a document's chunks; the keyword index follows by trigger, the vector index by its generation check.</summary>
public sealed class ChunkErasure(AppDbContext db) : IDocumentErasure
{
    public Task EraseAsync(string organizationId, string documentId, CancellationToken ct) =>
        db.Chunks.Where(c => c.OrganizationId == organizationId && c.DocumentId == documentId).ExecuteDeleteAsync(ct);
}
