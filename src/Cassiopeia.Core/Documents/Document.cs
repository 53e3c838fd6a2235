using Cassiopeia.Core.Data;
using Cassiopeia.Core.Storage;

namespace Cassiopeia.Core.Documents;

public sealed class Document : IOrganizationScoped
{
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    /// <summary>The member who uploaded it.</summary>
    public required string UserId { get; init; }

    /// <summary><c>cv</c>, <c>jd</c>, <c>rubric</c> or <c>other</c>.</summary>
    public required string Kind { get; set; }

    public required string Title { get; set; }

    public required string FileName { get; init; }

    /// <summary>Decided by content sniffing, never taken from the client.</summary>
    public required string ContentType { get; init; }

    public long Size { get; init; }

    /// <summary>SHA-256 of the bytes, lower-case hex; unique per organization (deduplication).</summary>
    public required string Sha256 { get; init; }

    /// <summary><c>queued</c>, <c>processing</c>, <c>ready</c> or <c>failed</c>.</summary>
    public required string Status { get; set; }

    public int? PageCount { get; set; }

    public int? ChunkCount { get; set; }

    public string? Error { get; set; }

    /// <summary>The document this one is a newer version of, if any.</summary>
    public string? ReplacesId { get; init; }

    public DateTime CreatedUtc { get; init; }

    public DateTime UpdatedUtc { get; set; }

    /// <summary>Key of the stored bytes in the blob store.</summary>
    public string BlobKey => BlobKeys.Document(OrganizationId, Id);
}

public static class DocumentKinds
{
    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { "cv", "jd", "rubric", "other" };
}

public static class DocumentStatuses
{
    public const string Queued = "queued";
    public const string Processing = "processing";
    public const string Ready = "ready";
    public const string Failed = "failed";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Queued, Processing, Ready, Failed };
}

/// <summary>A document as the API shows it.</summary>
public sealed record DocumentView(
    string Id, string Kind, string Title, string FileName, string ContentType, long Size, string Sha256, string Status,
    int? PageCount, int? ChunkCount, string? Error, string? ReplacesId, DateTime CreatedAt, DateTime UpdatedAt, bool? Duplicate = null)
{
    public static DocumentView From(Document d, bool? duplicate = null) => new(
        d.Id, d.Kind, d.Title, d.FileName, d.ContentType, d.Size, d.Sha256, d.Status, d.PageCount, d.ChunkCount, d.Error, d.ReplacesId, d.CreatedUtc, d.UpdatedUtc, duplicate);
}
