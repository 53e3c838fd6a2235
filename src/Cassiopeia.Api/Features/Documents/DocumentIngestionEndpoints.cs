using System.Net.ServerSentEvents;
using System.Runtime.CompilerServices;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Ingestion;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Cassiopeia.Api.Features.Documents;

/// <summary>What ingestion made of a document: its chunks, its status as a stream, and the admin's retry.</summary>
public static class DocumentIngestionEndpoints
{
    internal static async Task<Results<Ok<PageResponse<ChunkView>>, ProblemHttpResult>> ChunksAsync(string id, int? limit, string? cursor, DocumentQueries documents, CancellationToken ct)
    {
        var page = Pagination.Read(limit, cursor);
        if (!page.Succeeded)
        {
            return page.Error!.ToProblem();
        }

        return await documents.ChunksAsync(id, page.Value!, ct) is { } chunks ? TypedResults.Ok(chunks.ToResponse()) : Problems.NotFound("document");
    }

    internal static async Task<Results<Ok<DocumentView>, ProblemHttpResult>> RetryAsync(string id, RetryDocument retry, CancellationToken ct)
    {
        var result = await retry.RunAsync(id, ct);
        return result.Succeeded ? TypedResults.Ok(result.Value!) : result.Error!.ToProblem();
    }

    /// <summary>Server-sent events: the current status at once, then every change, ending after <c>ready</c> or <c>failed</c>.</summary>
    internal static async Task<Results<ServerSentEventsResult<DocumentView>, ProblemHttpResult>> EventsAsync(string id, AppDbContext db, DocumentEvents events, CancellationToken ct)
    {
        if (!await db.Documents.AnyAsync(d => d.Id == id, ct))
        {
            return Problems.NotFound("document");
        }

        return TypedResults.ServerSentEvents(StatusChangesAsync(id, db, events, ct));
    }

    private static async IAsyncEnumerable<SseItem<DocumentView>> StatusChangesAsync(string id, AppDbContext db, DocumentEvents events, [EnumeratorCancellation] CancellationToken ct)
    {
        DocumentView? last = null;
        while (!ct.IsCancellationRequested)
        {
            var document = await db.Documents.AsNoTracking().FirstOrDefaultAsync(d => d.Id == id, ct);
            if (document is null)
            {
                if (last is not null)
                {
                    yield return new SseItem<DocumentView>(last with { Status = "deleted" }, "deleted");
                }

                yield break;
            }

            var view = DocumentView.From(document);
            if (last is null || view.Status != last.Status || view.ChunkCount != last.ChunkCount || view.Error != last.Error)
            {
                yield return new SseItem<DocumentView>(view, "status");
                last = view;
            }

            if (view.Status is DocumentStatuses.Ready or DocumentStatuses.Failed)
            {
                yield break;
            }

            await events.WaitForChangeAsync(id, events.StatusPollInterval, ct);
        }
    }
}
