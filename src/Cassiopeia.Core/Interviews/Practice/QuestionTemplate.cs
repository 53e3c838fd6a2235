namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// One phrasing of a question. <paramref name="NeedsTerm"/> templates put the subject's noun phrase in
/// a sentence and apply only to subjects that have one; the others quote the requirement or claim
/// verbatim, which reads correctly whatever its grammar.
/// </summary>
internal sealed record QuestionTemplate(
    string Id,
    QuestionCategory Category,
    Difficulty Natural,
    bool NeedsTerm,
    Func<QuestionSubject, string> Text,
    Func<QuestionSubject, bool>? Fits = null)
{
    public bool AppliesTo(QuestionSubject subject) =>
        (!NeedsTerm || subject.Term is not null) && (Fits is null || Fits(subject));
}
