using Cassiopeia.Core.Data;

namespace Cassiopeia.Core.Documents;

/// <summary>A direct upload announced by <c>POST /v1/documents/upload-url</c> and not yet completed.</summary>
public sealed class PendingUpload : IOrganizationScoped
{
    /// <summary>The id the document will have.</summary>
    public required string Id { get; init; }

    public required string OrganizationId { get; set; }

    public required string UserId { get; init; }

    public required string Kind { get; init; }

    public string? Title { get; init; }

    public string? ReplacesId { get; init; }

    public required string FileName { get; init; }

    public string? DeclaredContentType { get; init; }

    public long DeclaredSize { get; init; }

    public DateTime ExpiresUtc { get; init; }

    /// <summary>Set by the one PUT allowed to write the bytes (single use).</summary>
    public DateTime? ClaimedUtc { get; set; }

    public DateTime? UploadedUtc { get; set; }

    public string? Sha256 { get; set; }

    public DateTime CreatedUtc { get; init; }
}
