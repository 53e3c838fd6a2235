namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// The rubric of an offline question: criteria chosen by category (STAR parts for behavioural
/// questions, transfer and plan for gaps, contribution and impact for CV lines), one more on depth
/// for hard questions, each with the key points the scorer looks for.
/// </summary>
internal static class QuestionRubrics
{
    /// <summary>Words of reasoning beyond the first answer.</summary>
    public static readonly IReadOnlyList<string> DepthCues = ["trade-off", "alternative", "instead", "because", "risk", "cost", "scale", "measure"];

    /// <summary>Words of a plan with steps and time.</summary>
    public static readonly IReadOnlyList<string> PlanCues = ["plan", "first", "week", "month", "practice", "course", "project", "mentor"];

    /// <summary>Words of an outcome.</summary>
    public static readonly IReadOnlyList<string> ResultCues = ["result", "reduced", "increased", "improved", "saved", "outcome", "impact"];

    public static IReadOnlyList<RubricCriterion> For(QuestionCategory category, Difficulty difficulty, QuestionSubject subject)
    {
        var topic = TopicPoints(subject);
        var name = subject.Term ?? subject.Quoted;
        List<RubricCriterion> criteria = category switch
        {
            QuestionCategory.Technical =>
            [
                new("Technical accuracy", $"Explains correctly how to use {name} and what matters when doing so.", CriterionKind.Substance, topic),
                new("Concrete experience", $"Backs the answer with a specific example of their own work with {name}.", CriterionKind.Example, ExamplePoints(subject, topic)),
            ],
            QuestionCategory.Behavioural =>
            [
                new("Situation and task", $"Sets the scene: where and when it happened, and what they were responsible for regarding {name}.", CriterionKind.Situation, topic),
                new("Actions", "Describes what they did personally, step by step, and why.", CriterionKind.Action, topic),
                new("Result", "States the outcome, ideally with a number, and what they learned.", CriterionKind.Result, [.. ResultCues]),
            ],
            QuestionCategory.GapProbing =>
            [
                new("Honest, transferable experience", $"Acknowledges the gap plainly and names the closest experience that transfers to {name}.", CriterionKind.Transfer, topic),
                new("Plan to close the gap", $"Gives a concrete, time-bound plan to become effective with {name}.", CriterionKind.Plan, [.. topic.Take(2), .. PlanCues]),
            ],
            _ =>
            [
                new("Personal contribution", "Separates their own work from the team's, with the steps they took.", CriterionKind.Action, topic),
                new("Technical detail", "Explains how the work was done: tools, design and decisions.", CriterionKind.Substance, topic),
                new("Measured impact", "Explains the outcome and how it was measured.", CriterionKind.Result, [.. subject.Claim is null ? [] : PracticeText.Numbers(subject.Quote).Take(3), .. ResultCues.Take(4)]),
            ],
        };

        if (difficulty == Difficulty.Hard || (difficulty == Difficulty.Medium && category == QuestionCategory.Technical))
        {
            criteria.Add(new("Depth and judgement", "Weighs trade-offs and alternatives and explains the reasoning behind choices.", CriterionKind.Depth, DepthCues));
        }

        return criteria;
    }

    /// <summary>The subject's own words: its terms first, then distinctive words of its text.</summary>
    public static IReadOnlyList<string> TopicPoints(QuestionSubject subject)
    {
        var points = new List<string>();
        if (subject.Term is not null)
        {
            points.Add(subject.Term);
        }

        foreach (var term in subject.Requirement?.KeyTerms ?? [])
        {
            if (QuestionSubjects.CleanTerm(term) is { } clean && !points.Contains(clean, StringComparer.OrdinalIgnoreCase))
            {
                points.Add(clean);
            }
        }

        foreach (var word in PracticeText.Words(subject.Quote).Where(PracticeText.IsContent).Where(w => w.Length > 2 && !char.IsDigit(w[0]) && !PracticeText.RequirementFiller.Contains(w)))
        {
            if (points.Count >= 6)
            {
                break;
            }

            if (!points.Any(p => PracticeText.Words(p).Contains(word)))
            {
                points.Add(word);
            }
        }

        return points;
    }

    private static List<string> ExamplePoints(QuestionSubject subject, IReadOnlyList<string> topic)
    {
        var points = new List<string>(topic.Take(2));
        foreach (var quote in subject.Requirement?.Evidence ?? [])
        {
            foreach (var word in PracticeText.Words(quote.Quote).Where(PracticeText.IsContent).Where(w => w.Length > 2))
            {
                if (points.Count >= 6)
                {
                    return points;
                }

                if (!points.Any(p => PracticeText.Words(p).Contains(word)))
                {
                    points.Add(word);
                }
            }
        }

        return points;
    }
}
