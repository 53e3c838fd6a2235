namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// What one question is about: a requirement (named by <paramref name="Term"/>, a noun phrase, when
/// it has one) or a CV claim, with the verbatim <paramref name="Quote"/> templates may cite and the
/// chunks it rests on. <paramref name="Focus"/> is how well it matches the requested focus.
/// </summary>
internal sealed record QuestionSubject(
    PracticeRequirement? Requirement,
    CvClaim? Claim,
    string? Term,
    string Quote,
    IReadOnlyList<EvidenceQuote> Sources,
    double Focus)
{
    /// <summary>The quote in typographic quotation marks, ready to stand in a sentence.</summary>
    public string Quoted => $"“{Quote}”";

    public bool HasNumber => PracticeText.HasNumber(Quote);
}
