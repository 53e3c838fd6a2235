namespace Cassiopeia.Core.Usage;

/// <summary>
/// Tokens one model call consumed. <paramref name="Estimated"/> is true when the provider reported
/// none and the counts were estimated (about four characters per token).
/// </summary>
public sealed record TokenUsage(long InputTokens, long OutputTokens, long TotalTokens, bool Estimated = false)
{
    public static readonly TokenUsage None = new(0, 0, 0);
}
