namespace Cassiopeia.Core.Data;

/// <summary>The stored first response to a creating POST sent with an <c>Idempotency-Key</c>.</summary>
public sealed class IdempotencyRecord
{
    /// <summary>Who sent it (user, API key or anonymous) plus the key, so keys of different callers never collide.</summary>
    public required string Scope { get; init; }

    public required string Key { get; init; }

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused.</summary>
    public required byte[] RequestHash { get; init; }

    /// <summary>0 while the first request is still running.</summary>
    public int StatusCode { get; set; }

    public string? ContentType { get; set; }

    public string? Location { get; set; }

    public byte[]? Body { get; set; }

    public DateTime CreatedUtc { get; init; }

    public DateTime ExpiresUtc { get; init; }
}
