using Cassiopeia.Core.Documents;

namespace Cassiopeia.Infrastructure.Search.Pgvector;

/// <summary>
/// Removes a deleted document's vectors at once. It runs outside the chunk deletion's transaction (the
/// store may be another database); should that transaction roll back, the next search's sync puts the
/// vectors back, because the chunks are still there.
/// </summary>
public sealed class PgvectorErasure(PgvectorTable table) : IDocumentErasure
{
    public Task EraseAsync(string organizationId, string documentId, CancellationToken ct) =>
        table.DeleteDocumentAsync(organizationId, documentId, ct);
}
