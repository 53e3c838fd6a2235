using Cassiopeia.Core.Interviews.Practice;

namespace Cassiopeia.UnitTests.Interviews;

/// <summary>
/// A labelled set: questions generated from <see cref="PracticeSamples"/>, each with answers of clearly
/// different quality, best first. The scorer must keep that order.
/// </summary>
internal static class LabelledAnswers
{
    public sealed record Case(string Name, PracticeQuestion Question, string Strong, string Vague, string OffTopic)
    {
        public string Copy => Question.Text;

        /// <summary>The answers, best first.</summary>
        public IReadOnlyList<(string Label, string Text)> Ranked =>
            [("strong", Strong), ("vague", Vague), ("off-topic", OffTopic), ("copy", Copy), ("empty", "")];
    }

    public static IReadOnlyList<Case> All()
    {
        var questions = OfflineQuestionGenerator.Generate(PracticeSamples.Backend(), new QuestionRequest(QuestionRequest.MaxCount));
        PracticeQuestion Find(QuestionCategory category, string mention) =>
            questions.First(q => q.Category == category && q.Text.Contains(mention, StringComparison.Ordinal));

        return
        [
            new("behavioural incident response", Find(QuestionCategory.Behavioural, "incident response"),
                Strong: "In 2022 I was the on-call lead for the payments platform at Northwind when card authorisations started failing during a Black Friday sale. "
                    + "My task was to restore service and run the incident response. I declared the incident, paged the database team and split the work: "
                    + "I traced the failures to connection pool exhaustion in PostgreSQL after a config change, rolled the change back and added a circuit breaker. "
                    + "Because a restart would have dropped in-flight payments, I chose a rolling rollback instead. As a result we recovered in 18 minutes instead of the hour the previous incident took, "
                    + "and failed payments dropped from 12% to under 0.5%. Afterwards I wrote the blameless postmortem, which led to a config review step that has prevented two similar incidents since.",
                Vague: "I think incident response is really important and I always try to stay calm. Usually the team works together to fix things quickly and we learn from it afterwards. "
                    + "Communication is key and everyone should know what to do when something breaks.",
                OffTopic: "My favourite holiday was a trip to Portugal where we rented a small flat near the sea. We spent the days walking along the coast, "
                    + "eating grilled sardines and visiting old churches, and in the evenings we listened to fado music in little bars."),
            new("technical PostgreSQL", Find(QuestionCategory.Technical, "PostgreSQL"),
                Strong: "At Northwind I owned the checkout API, which runs on PostgreSQL 14. When p95 latency reached 800 ms I profiled the slow queries with pg_stat_statements and EXPLAIN ANALYZE, "
                    + "found sequential scans on the orders table and added two composite indexes. I also moved reporting reads to a read replica, because they competed with writes, "
                    + "and rewrote an N+1 query in the ORM into a single join. We considered partitioning instead, but the trade-off in operational cost was not worth it at 40 million rows. "
                    + "As a result p95 latency fell from 800 ms to 120 ms and CPU on the primary dropped by 35%. I now check query plans in code review and keep autovacuum settings monitored in Grafana.",
                Vague: "PostgreSQL is a good database and I have used it a lot. It is reliable and has many features. I would make sure the queries are fast and the database is healthy, "
                    + "and I would ask the team if there are any problems with it.",
                OffTopic: "The football season was exciting this year. Our local club won most of its home games, the new striker scored twenty goals, "
                    + "and the stadium was full every Saturday with fans singing until the final whistle."),
            new("experience Kubernetes migration", Find(QuestionCategory.ExperienceDeepDive, "Kubernetes"),
                Strong: "I led the migration as the platform engineer responsible for the plan. I first inventoried the 40 services and grouped them by risk, then built a shared Helm chart "
                    + "and a GitHub Actions pipeline so every service deployed the same way. I migrated the low-risk services first, running them on Kubernetes and the old virtual machines in parallel "
                    + "behind the load balancer and shifting traffic 10% at a time. Because two stateful services needed persistent volumes, I kept them on VMs until the last month instead of forcing them early. "
                    + "We finished in six months with zero downtime, deployment time went from 45 minutes to 6 minutes, and infrastructure cost fell by 22%.",
                Vague: "It was a big project and the team did a lot of work on it. Kubernetes is a modern platform and it made things better. "
                    + "There were some challenges but in the end everything worked out and people were happy with the result.",
                OffTopic: "On weekends I like to bake bread. I use a sourdough starter that I have kept alive for three years, "
                    + "and I experiment with rye and spelt flour to get a darker crust and a more open crumb."),
        ];
    }
}
