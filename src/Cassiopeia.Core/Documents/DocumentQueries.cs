using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Audit;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Storage;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Core.Documents;

public sealed record DocumentFilter(string? Kind, string? Status);

/// <summary>Reading and erasing the current organization's documents (the tenant filter scopes every query).</summary>
public sealed class DocumentQueries(AppDbContext db, Caller caller, IBlobStore blobs, AuditLog audit, IEnumerable<IDocumentErasure> derived)
{
    public async Task<Result<Page<DocumentView>>> ListAsync(DocumentFilter filter, PageRequest page, CancellationToken ct)
    {
        var validation = new Validation()
            .Require(filter.Kind is null || DocumentKinds.All.Contains(filter.Kind), "kind", "One of cv, jd, rubric, other.")
            .Require(filter.Status is null || DocumentStatuses.All.Contains(filter.Status), "status", "One of queued, processing, ready, failed.");
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        var rows = await db.Documents.AsNoTracking()
            .Where(d => (filter.Kind == null || d.Kind == filter.Kind) && (filter.Status == null || d.Status == filter.Status))
#pragma warning disable CA1309 // translated to SQL, where ids compare ordinally (binary / "C" collation)
            .Where(d => page.After == null || string.Compare(d.Id, page.After) < 0)
#pragma warning restore CA1309
            .OrderByDescending(d => d.Id)
            .Take(page.Limit + 1)
            .ToListAsync(ct);
        return PageRequest.ToPage(rows.ConvertAll(d => DocumentView.From(d)), page.Limit, d => d.Id);
    }

    public async Task<DocumentView?> GetAsync(string id, CancellationToken ct) =>
        await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct) is { } d ? DocumentView.From(d) : null;

    /// <summary>The versions chain a document belongs to, newest first (walked one link per query; chains are short).</summary>
    public async Task<IReadOnlyList<DocumentView>?> VersionsAsync(string id, CancellationToken ct)
    {
        const int MaxVersions = 1000;
        var start = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
        if (start is null)
        {
            return null;
        }

        var chain = new List<Document> { start };
        for (var older = start; older.ReplacesId is { } previous && chain.Count < MaxVersions;)
        {
            older = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == previous, ct);
            if (older is null)
            {
                break;
            }

            chain.Add(older);
        }

        for (var newer = start; chain.Count < MaxVersions;)
        {
            var currentId = newer.Id;
            newer = await db.Documents.AsNoTracking().Where(d => d.ReplacesId == currentId).OrderBy(d => d.Id).FirstOrDefaultAsync(ct);
            if (newer is null)
            {
                break;
            }

            chain.Insert(0, newer);
        }

        return chain.ConvertAll(d => DocumentView.From(d));
    }

    /// <summary>The document's chunks in order; null when the document does not exist in this organization.</summary>
    public async Task<Page<Ingestion.ChunkView>?> ChunksAsync(string id, PageRequest page, CancellationToken ct)
    {
        if (!await db.Documents.AnyAsync(d => d.Id == id, ct))
        {
            return null;
        }

        var after = int.TryParse(page.After, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var ordinal) ? ordinal : -1;
        var rows = await db.Chunks.AsNoTracking()
            .Where(c => c.DocumentId == id && c.Ordinal > after)
            .OrderBy(c => c.Ordinal)
            .Take(page.Limit + 1)
            .Select(c => new Ingestion.ChunkView(c.Id, c.Ordinal, c.Text, c.Page, c.HeadingPath, c.Suspect))
            .ToListAsync(ct);
        return PageRequest.ToPage(rows, page.Limit, c => c.Ordinal.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    /// <summary>Erases the stored file, the row and everything derived (chunks, keyword index, vectors) in one transaction.</summary>
    public async Task<bool> DeleteAsync(string id, CancellationToken ct)
    {
        var document = await db.Documents.FirstOrDefaultAsync(d => d.Id == id, ct);
        if (document is null)
        {
            return false;
        }

        await using (var transaction = await db.Database.BeginTransactionAsync(ct))
        {
            foreach (var erasure in derived)
            {
                await erasure.EraseAsync(document.OrganizationId, document.Id, ct);
            }

            db.Documents.Remove(document);
            audit.Record(AuditActions.DocumentDeleted, document.OrganizationId, caller.UserId, "document", document.Id, document.Sha256);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                // A concurrent delete removed the row first: for this request the document no longer exists
                // (404), and the winner erases the file. The transaction rolls back on dispose.
                return false;
            }

            await transaction.CommitAsync(ct);
        }

        await blobs.DeleteAsync(document.BlobKey, CancellationToken.None);
        return true;
    }
}
