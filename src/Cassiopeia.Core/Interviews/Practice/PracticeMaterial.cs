namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>What questions are built from: the JD's requirements (with their match status) and the CV's claims.</summary>
public sealed record PracticeMaterial(IReadOnlyList<PracticeRequirement> Requirements, IReadOnlyList<CvClaim> Claims);
