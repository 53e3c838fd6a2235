using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// After a change of embedding model, sends every document whose vectors came from another model
/// through the pipeline again (operator command <c>reembed</c>, across all organizations). The old
/// chunks stay searchable until each document's new ones replace them in one transaction.
/// </summary>
public sealed class ReembedDocuments(AppDbContext db, EmbeddingModel model, IngestionQueue queue, DocumentEvents events, TimeProvider time)
{
    public async Task<int> RunAsync(CancellationToken ct)
    {
        var stale = await db.Chunks.IgnoreQueryFilters()
            .Where(c => c.ModelId != model.Id)
            .Select(c => c.DocumentId)
            .Distinct()
            .ToListAsync(ct);
        var now = time.GetUtcNow().UtcDateTime;
        var total = 0;
        foreach (var batch in stale.Chunk(500))
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var rearmed = await queue.RearmAsync(batch, ct);
            await db.Documents.IgnoreQueryFilters()
                .Where(d => batch.Contains(d.Id) && (d.Status == DocumentStatuses.Ready || d.Status == DocumentStatuses.Failed))
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.Status, DocumentStatuses.Queued).SetProperty(d => d.UpdatedUtc, now), ct);
            await transaction.CommitAsync(ct);
            total += rearmed;
        }

        events.JobEnqueued();
        return total;
    }
}
