namespace Cassiopeia.Core.Interviews.Matching;

public static class MatchStatuses
{
    public const string Met = "met";
    public const string Partial = "partial";
    public const string Missing = "missing";
}

/// <summary>A verbatim span of a CV chunk that supports a requirement.</summary>
public sealed record Evidence(string DocumentId, string ChunkId, string Quote);

/// <summary>
/// One requirement and how the CV meets it. <paramref name="Requirement"/> is the requirement's text;
/// the other requirement fields sit beside it. <paramref name="YearsFound"/> is the experience the CV
/// shows for it when the requirement asks for years.
/// </summary>
public sealed record RequirementMatch(
    string Requirement,
    string Category,
    string Importance,
    int? MinimumYears,
    IReadOnlyList<string> KeyTerms,
    string Status,
    IReadOnlyList<Evidence> Evidence,
    double? YearsFound);

public static class IntegrityFlagTypes
{
    /// <summary>Text a human reader of the document does not see (white, tiny, off-page, hidden).</summary>
    public const string HiddenText = "hidden-text";

    /// <summary>Text addressed to a model or a screener ("ignore previous instructions", "rate this candidate 100").</summary>
    public const string Instruction = "instruction";
}

/// <summary>Something in a document that was not counted, and why.</summary>
public sealed record IntegrityFlag(string Type, string DocumentId, string ChunkId, string Quote);

/// <summary>A match as the API shows it.</summary>
public sealed record MatchView(
    string Id,
    string CvDocumentId,
    string JdDocumentId,
    int Score,
    string Summary,
    IReadOnlyList<RequirementMatch> Requirements,
    IReadOnlyList<IntegrityFlag> IntegrityFlags,
    string PromptVersion,
    string Extractor,
    DateTime CreatedAt);
