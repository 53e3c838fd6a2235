using Cassiopeia.Core.Interviews.Practice;

namespace Cassiopeia.UnitTests.Interviews;

/// <summary>Hand-written material: a backend role's requirements with their match status, and claims from a CV.</summary>
internal static class PracticeSamples
{
    public const string Cv = "doc_cv";
    public const string Jd = "doc_jd";

    public static PracticeMaterial Backend() => new(Requirements(), Claims());

    public static IReadOnlyList<PracticeRequirement> Requirements() =>
    [
        Requirement("5+ years of experience with distributed systems", RequirementCategory.Experience, RequirementStatus.Met, [], "Built event-driven order services processing 2 million messages a day."),
        Requirement("Strong knowledge of Kubernetes and Helm", RequirementCategory.Skill, RequirementStatus.Partial, ["Kubernetes", "Helm"], "Deployed services to Kubernetes with a shared Helm chart."),
        Requirement("Production experience with PostgreSQL", RequirementCategory.Skill, RequirementStatus.Met, ["PostgreSQL"], "Tuned PostgreSQL queries and cut p95 latency from 800 ms to 120 ms."),
        Requirement("Go or Rust for backend services", RequirementCategory.Skill, RequirementStatus.Missing, ["Go", "Rust"]),
        Requirement("Lead incident response and write blameless postmortems", RequirementCategory.Responsibility, RequirementStatus.Partial, ["incident response", "postmortems"], "Was on call for the payments platform."),
        Requirement("Mentor junior engineers through code review and pairing", RequirementCategory.Responsibility, RequirementStatus.Met, ["mentoring", "code review"], "Mentored four junior engineers."),
        Requirement("Experience with Terraform is a plus", RequirementCategory.Skill, RequirementStatus.Missing, ["Terraform"], importance: Importance.Preferred),
        Requirement("Degree in computer science or equivalent", RequirementCategory.Education, RequirementStatus.Met, ["computer science"], "BSc Computer Science, University of Leeds."),
    ];

    public static IReadOnlyList<CvClaim> Claims() =>
    [
        new("Senior software engineer at Northwind Payments, 2019–2024", ClaimKind.Role, Cv, "chk_cv_1"),
        new("Cut p95 latency of the checkout API from 800 ms to 120 ms by rewriting PostgreSQL queries and adding a read replica.", ClaimKind.Achievement, Cv, "chk_cv_2"),
        new("Migrated 40 services from virtual machines to Kubernetes over six months with zero downtime.", ClaimKind.Achievement, Cv, "chk_cv_3"),
        new("Built an event-driven order pipeline on Kafka processing 2 million messages a day.", ClaimKind.Project, Cv, "chk_cv_4"),
        new("Mentored four junior engineers, two of whom were promoted within a year.", ClaimKind.Achievement, Cv, "chk_cv_5"),
    ];

    public static PracticeRequirement Requirement(string text, RequirementCategory category, RequirementStatus status, IReadOnlyList<string> terms, string? evidence = null, Importance importance = Importance.Required) =>
        new(text, category, importance, status, terms,
            evidence is null ? [] : [new EvidenceQuote(Cv, $"chk_cv_{Math.Abs(StringComparer.Ordinal.GetHashCode(evidence)) % 100}", evidence)],
            new EvidenceQuote(Jd, "chk_jd_1", text));
}

/// <summary>Further material: a clinical role with different wording, and the least material that still yields questions.</summary>
internal static class MoreSamples
{
    public static PracticeMaterial Nursing() => new(
        [
            PracticeSamples.Requirement("Registered nurse with 3+ years of acute care experience", RequirementCategory.Experience, RequirementStatus.Met, ["acute care"], "Staff nurse on a 28-bed acute medical ward since 2020."),
            PracticeSamples.Requirement("Experience with electronic health records such as Epic", RequirementCategory.Skill, RequirementStatus.Partial, ["electronic health records", "Epic"], "Documented care in Cerner."),
            PracticeSamples.Requirement("Coordinate discharge planning with social workers and families", RequirementCategory.Responsibility, RequirementStatus.Met, [], "Led discharge planning meetings."),
            PracticeSamples.Requirement("Advanced Life Support certification", RequirementCategory.Education, RequirementStatus.Missing, ["Advanced Life Support"]),
            PracticeSamples.Requirement("Knowledge of infection prevention and control", RequirementCategory.Skill, RequirementStatus.Missing, []),
        ],
        [
            new("Reduced patient falls on the ward by 30% in one year by introducing hourly rounding.", ClaimKind.Achievement, PracticeSamples.Cv, "chk_n_1"),
            new("Trained 12 new nurses on the sepsis screening protocol.", ClaimKind.Achievement, PracticeSamples.Cv, "chk_n_2"),
            new("Charge nurse at St Mary's Hospital, 2021–2024", ClaimKind.Role, PracticeSamples.Cv, "chk_n_3"),
        ]);

    public static PracticeMaterial Minimal() => new(
        [PracticeSamples.Requirement("Experience with Python", RequirementCategory.Skill, RequirementStatus.Met, [])],
        []);
}
