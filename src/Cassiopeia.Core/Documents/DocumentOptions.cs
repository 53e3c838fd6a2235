using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Core.Documents;

/// <summary>Document limits. Section <c>Documents</c>.</summary>
public sealed class DocumentOptions
{
    public const string SectionName = "Documents";

    /// <summary>Largest accepted file, in bytes (default 50 MB); larger uploads answer 413.</summary>
    [Range(1, 10L * 1024 * 1024 * 1024)]
    public long MaxFileBytes { get; set; } = 50L * 1024 * 1024;

    /// <summary>How long a content download URL stays valid (at most 15 minutes).</summary>
    [Range(typeof(TimeSpan), "00:00:10", "00:15:00")]
    public TimeSpan DownloadUrlLifetime { get; set; } = TimeSpan.FromMinutes(5);
}
