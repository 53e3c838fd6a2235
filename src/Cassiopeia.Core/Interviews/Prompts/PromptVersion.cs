using Cassiopeia.Core.Common;

namespace Cassiopeia.Core.Interviews.Prompts;

/// <summary>
/// One version of a prompt or rubric. Built-in versions (<see cref="OrganizationId"/> null) are seeded
/// by a migration and visible to every organization; an organization's admins add their own. Versions
/// are never edited: a change is a new version, and every result records the version that produced it.
/// </summary>
public sealed class PromptVersion
{
    public required string Id { get; init; }

    /// <summary>Null for a built-in version.</summary>
    public string? OrganizationId { get; init; }

    /// <summary>One of <see cref="PromptKinds"/>.</summary>
    public required string Kind { get; init; }

    /// <summary>The name results record, e.g. <c>match-v1</c>; unique among the versions an organization sees.</summary>
    public required string Version { get; init; }

    public required string Content { get; init; }

    public string? Description { get; init; }

    public string? CreatedByUserId { get; init; }

    public DateTime CreatedUtc { get; init; }

    public static string BuiltInId(string version) => Ids.Derived("prm", "built-in/" + version);
}

public static class PromptKinds
{
    /// <summary>The system prompt that extracts requirements from a job description (content: text).</summary>
    public const string Match = "match";

    /// <summary>The system prompt that writes interview questions (content: text).</summary>
    public const string Questions = "questions";

    /// <summary>The default criteria answers are scored on (content: a JSON array of <c>{criterion, description}</c>).</summary>
    public const string Rubric = "rubric";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Match, Questions, Rubric };
}

/// <summary>A prompt version as the API shows it; <paramref name="Active"/> marks the one new results use.</summary>
public sealed record PromptVersionView(string Id, string Kind, string Version, string? Description, string Content, bool BuiltIn, bool Active, DateTime CreatedAt);
