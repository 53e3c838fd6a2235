using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Jobs;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Ingestion;

/// <summary>An admin sends a failed document through the pipeline again with a fresh attempt budget.</summary>
public sealed class RetryDocument(AppDbContext db, Caller caller, IngestionQueue queue, AuditLog audit, DocumentEvents events, TimeProvider time)
{
    public async Task<Result<DocumentView>> RunAsync(string id, CancellationToken ct)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (document is null)
        {
            return Error.NotFound("document");
        }

        if (document.Status != DocumentStatuses.Failed)
        {
            return new Error(ErrorKind.Conflict, "document-not-failed", $"Only failed documents can be retried; this one is {document.Status}.");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (!await queue.RearmAsync(document.Id, ct))
        {
            // A document failed before jobs existed, or whose job row is missing, gets a new one.
            queue.Enqueue(document.OrganizationId, document.Id, System.Diagnostics.Activity.Current?.Id);
        }

        document.Status = DocumentStatuses.Queued;
        document.Error = null;
        document.UpdatedUtc = time.GetUtcNow().UtcDateTime;
        audit.Record(AuditActions.DocumentRetried, document.OrganizationId, caller.UserId, "document", document.Id, null);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        events.StatusChanged(document.Id);
        events.JobEnqueued();
        return DocumentView.From(document);
    }
}
