namespace Cassiopeia.Core.Storage;

/// <summary>Where objects live in a blob store: one place for the naming, so stores and sweepers agree.</summary>
public static class BlobKeys
{
    /// <summary>Objects that clients upload directly to the store before <c>/complete</c> copies them into place.</summary>
    public const string StagingPrefix = "uploads/";

    public static string Document(string organizationId, string documentId) => $"{organizationId}/{documentId}";

    /// <summary>
    /// A direct upload lands here, never on the document's own key: a presigned PUT can be replayed
    /// until it expires, and the document's bytes must only ever be written by the service.
    /// </summary>
    public static string Staging(string organizationId, string documentId) => $"{StagingPrefix}{organizationId}/{documentId}";
}
