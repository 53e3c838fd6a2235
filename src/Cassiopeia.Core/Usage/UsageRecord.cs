namespace Cassiopeia.Core.Usage;

/// <summary>What one request consumed, attributed to an organization and the user or API key acting for it.</summary>
/// <param name="Operation">What consumed it, e.g. <c>ask</c>.</param>
/// <param name="Model">The model that did the work, e.g. <c>gpt-4o-mini</c> or <c>extractive</c>.</param>
public sealed record UsageRecord(string OrganizationId, string? UserId, string? ApiKeyId, string Operation, string Model, TokenUsage Tokens, DateTime OccurredAtUtc);
