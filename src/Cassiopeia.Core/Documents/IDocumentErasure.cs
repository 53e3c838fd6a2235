namespace Cassiopeia.Core.Documents;

/// <summary>
/// Erases what a capability derived from a document (chunks, keyword index, vectors) when the
/// document is deleted. Every implementation runs, in the deleting unit of work, before the file goes.
/// </summary>
public interface IDocumentErasure
{
    Task EraseAsync(string organizationId, string documentId, CancellationToken ct);
}
