namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>What a job description asks for.</summary>
public enum RequirementCategory
{
    Skill,
    Experience,
    Education,
    Responsibility,
}

/// <summary>How much a requirement weighs: required or preferred (a plus).</summary>
public enum Importance
{
    Required,
    Preferred,
}

/// <summary>How far the CV shows a requirement.</summary>
public enum RequirementStatus
{
    Met,
    Partial,
    Missing,
}

/// <summary>A chunk of a document and a short verbatim quote of it.</summary>
public sealed record EvidenceQuote(string DocumentId, string ChunkId, string Quote);

/// <summary>
/// One requirement of the job description as the practice engines see it: its text, kind, weight,
/// how well the CV covers it, the words that name it (<paramref name="KeyTerms"/>, noun phrases such as
/// "Kubernetes" or "incident response"), the CV quotes that show it (<paramref name="Evidence"/>) and
/// the JD chunk that states it (<paramref name="Origin"/>, when known).
/// </summary>
public sealed record PracticeRequirement(
    string Text,
    RequirementCategory Category,
    Importance Importance,
    RequirementStatus Status,
    IReadOnlyList<string> KeyTerms,
    IReadOnlyList<EvidenceQuote> Evidence,
    EvidenceQuote? Origin = null);
