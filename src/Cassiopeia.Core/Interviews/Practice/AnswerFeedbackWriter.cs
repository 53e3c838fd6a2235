namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>Words the offline scores: comments per criterion, strengths that quote the answer, improvements and the follow-up.</summary>
internal static class AnswerFeedbackWriter
{
    private const int QuoteLength = 120;
    private const double Strong = 0.7, Fair = 0.45;

    public static AnswerFeedback Empty(PracticeQuestion question) => new(
        0,
        question.Rubric.Select(c => new CriterionScore(c.Criterion, 0, "There is no answer to assess.")).ToList(),
        [],
        [$"Write an answer of a few sentences about {Subject(question)}: {Hint(question.Category)}"],
        question.Text);

    public static AnswerFeedback Copy(PracticeQuestion question) => new(
        0,
        question.Rubric.Select(c => new CriterionScore(c.Criterion, 0, "The answer repeats the question instead of answering it.")).ToList(),
        [],
        [$"Your answer repeats the question. Answer it in your own words about {Subject(question)}: {Hint(question.Category)}"],
        question.Text);

    public static AnswerFeedback Write(PracticeQuestion question, AnswerSignals answer, double relevance, IReadOnlyList<ScoredCriterion> scored)
    {
        var overall = (int)Math.Round(100 * scored.Average(s => s.Value), MidpointRounding.AwayFromZero);
        var criteria = scored.Select(s => new CriterionScore(s.Criterion.Criterion, s.Score, Comment(s, answer))).ToList();
        var strengths = Strengths(question, answer, scored, relevance);
        var improvements = new List<string>();
        if (relevance < 0.25)
        {
            improvements.Add($"Your answer does not address the question about {Subject(question)}. Start from the question and tie every point to it.");
        }

        if (answer.Words.Count < 40)
        {
            improvements.Add($"At {answer.Words.Count} words the answer is too short to show much; aim for a specific example told in 150 to 300 words.");
        }

        foreach (var weak in scored.Where(s => s.Value < Strong).OrderBy(s => s.Value))
        {
            if (Improvement(weak, question, answer) is { } advice && !improvements.Contains(advice))
            {
                improvements.Add(advice);
            }
        }

        if (improvements.Count == 0)
        {
            improvements.Add("To make a strong answer outstanding, close with what you would do differently next time and why.");
        }

        return new AnswerFeedback(overall, criteria, strengths, improvements.Take(4).ToList(), FollowUp(question, scored));
    }

    private static string Comment(ScoredCriterion s, AnswerSignals a)
    {
        var covered = Named(s.Covered.Where(IsTopical).OrderByDescending(IsTerm).Take(3).ToList());
        var missing = Named(s.Missing.Where(IsTerm).Take(3).ToList());
        return s.Criterion.Kind switch
        {
            CriterionKind.Situation when a.Situation is not null => $"Sets the scene: {Quote(a.Situation)}.",
            CriterionKind.Situation => "The situation and your task are not described.",
            CriterionKind.Action when a.Actions.Count > 0 => $"{Count(a.Actions.Count, "first-person action")}, e.g. {Quote(a.Actions[0])}.",
            CriterionKind.Action => "It is not clear what you did yourself; the answer names no action of yours.",
            CriterionKind.Result when a.Results.Count > 0 => $"States an outcome: {Quote(a.Results[0])}.",
            CriterionKind.Result => "No outcome is stated.",
            CriterionKind.Depth when a.Reasoning > 0 => s.Value >= Strong ? "Explains the reasoning and weighs alternatives." : "Some reasoning, but alternatives and trade-offs are barely weighed.",
            CriterionKind.Depth => "No trade-offs, alternatives or reasons are given.",
            CriterionKind.Plan when a.Timeline => $"Gives a plan with a timeline{(covered.Length > 0 ? $", mentioning {covered}" : "")}.",
            CriterionKind.Plan => "No concrete plan with steps and timing.",
            _ when s.Value >= Strong => covered.Length > 0 ? $"Covers {covered} with specifics." : "Relevant and specific.",
            _ when covered.Length > 0 => missing.Length > 0 ? $"Mentions {covered}; does not address {missing}." : $"Mentions {covered} but stays general.",
            _ => missing.Length > 0 ? $"Does not address {missing}." : "Stays general and does not engage with the specifics of the question.",
        };
    }

    private static List<string> Strengths(PracticeQuestion question, AnswerSignals a, IReadOnlyList<ScoredCriterion> scored, double relevance)
    {
        var strengths = new List<string>();
        if (relevance < 0.25)
        {
            return strengths;
        }

        if (a.Results.FirstOrDefault(PracticeText.HasNumber) is { } measured)
        {
            strengths.Add($"You quantified the outcome: {Quote(measured)}.");
        }

        if (a.Actions.Count > 0)
        {
            strengths.Add($"You made your own part clear: {Quote(a.Actions[0])}.");
        }

        if (question.Category == QuestionCategory.Behavioural && a.Situation is not null && a.Actions.Count > 0 && a.Results.Count > 0)
        {
            strengths.Add("The answer follows situation, action and result, which makes it easy to follow.");
        }

        var covered = scored.SelectMany(s => s.Covered).Where(IsTopical).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(IsTerm).Take(3).ToList();
        if (covered.Count > 0)
        {
            strengths.Add($"You addressed {Named(covered)} directly.");
        }

        if (a.Reasoning >= 2)
        {
            strengths.Add("You explained why, not only what.");
        }

        return strengths.Take(3).ToList();
    }

    private static string? Improvement(ScoredCriterion s, PracticeQuestion question, AnswerSignals a)
    {
        var missing = s.Missing.Where(IsTerm).Take(3).ToList();
        return s.Criterion.Kind switch
        {
            CriterionKind.Situation => "Open with the situation and your task in one or two sentences: where it was, when, and what was at stake.",
            CriterionKind.Action => a.Actions.Count == 0
                ? "Say what you did yourself (\"I profiled…\", \"I proposed…\") rather than what the team did."
                : "Walk through your own steps in order and say why you took each one.",
            CriterionKind.Result => a.Results.Count == 0
                ? "End with the result: what changed, by how much, and how you measured it."
                : "Put a number on the result (time saved, errors avoided, users reached) and say how you measured it.",
            CriterionKind.Depth => "Explain the alternatives you considered and the trade-offs that decided your choice.",
            CriterionKind.Plan => $"Give a concrete plan for {Subject(question)} with steps and timing, e.g. what you would do in the first two weeks and by the end of the first month.",
            CriterionKind.Transfer => $"Name the experience that comes closest to {Subject(question)} and say exactly what carries over.",
            CriterionKind.Example => $"Back the answer with one specific example from your own work with {Subject(question)}, including a number.",
            _ when missing.Count > 0 => $"Address {Named(missing)} explicitly; the question turns on {(missing.Count == 1 ? "it" : "them")}.",
            _ => "Be more specific: name the tools, the decisions and the numbers involved.",
        };
    }

    private static string FollowUp(PracticeQuestion question, IReadOnlyList<ScoredCriterion> scored)
    {
        var weakest = scored.OrderBy(s => s.Value).First();
        if (weakest.Value >= Strong)
        {
            return "If you faced the same situation again, what would you do differently, and why?";
        }

        if (weakest.Criterion.Kind is CriterionKind.Substance or CriterionKind.Transfer or CriterionKind.Example
            && weakest.Missing.FirstOrDefault(IsTerm) is { } term)
        {
            return $"You did not mention {term}. Where would {term} come into the work you described, and what would you watch out for?";
        }

        return weakest.Criterion.Kind switch
        {
            CriterionKind.Situation => "Can you set the scene first: where was this, what was at stake, and what were you responsible for?",
            CriterionKind.Action => "What exactly did you do yourself, as opposed to the rest of the team?",
            CriterionKind.Result => "What was the measurable result, and how did you know it had worked?",
            CriterionKind.Depth => "Which alternatives did you consider, and why did you reject them?",
            CriterionKind.Plan => $"What would your first two weeks look like, concretely, if you had to get up to speed on {Subject(question)}?",
            CriterionKind.Transfer => $"Which of your past projects comes closest to {Subject(question)}, and what from it would carry over?",
            CriterionKind.Example => $"Can you give one specific example from your own work with {Subject(question)}, with the numbers?",
            _ => $"Can you go one level deeper on {Subject(question)}: how exactly did it work, and what went wrong along the way?",
        };
    }

    /// <summary>What the question is about, as a noun phrase: its first term-like key point, else the CV line it quotes.</summary>
    private static string Subject(PracticeQuestion question)
    {
        if (question.Rubric.SelectMany(c => c.KeyPoints).FirstOrDefault(IsTerm) is { } term)
        {
            return term;
        }

        return question.Sources.Count > 0 && question.Sources[0] is { } source ? $"the work behind {Quote(source.Quote, 60)}" : "the work the question asks about";
    }

    private static string Hint(QuestionCategory category) => category switch
    {
        QuestionCategory.Behavioural => "describe a real situation, your task, what you did and the result.",
        QuestionCategory.GapProbing => "say plainly what you have and have not done, the closest experience you have, and how you would close the gap.",
        QuestionCategory.ExperienceDeepDive => "explain what you personally did, how, and what came of it, with numbers.",
        _ => "explain how you would approach it and back it with an example from your own work.",
    };

    /// <summary>A key point that names something (a term such as "Kubernetes" or "incident response"), not a cue word.</summary>
    private static bool IsTerm(string point) => point.Any(char.IsUpper) || (point.Contains(' ', StringComparison.Ordinal) && !char.IsDigit(point[0]));

    public static bool IsTopical(string point) =>
        !QuestionRubrics.DepthCues.Contains(point) && !QuestionRubrics.PlanCues.Contains(point) && !QuestionRubrics.ResultCues.Contains(point) && !char.IsDigit(point[0]);

    private static string Named(List<string> items) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} and {items[^1]}",
    };

    private static string Count(int n, string noun) => n == 1 ? $"One {noun}" : $"{n} {noun}s";

    private static string Quote(string sentence, int length = QuoteLength)
    {
        var text = sentence.Trim().TrimEnd('.', '!', '?', ';', ',');
        if (text.Length > length)
        {
            var cut = text.LastIndexOf(' ', length - 1);
            text = text[..(cut > length / 2 ? cut : length - 1)] + "…";
        }

        return $"“{text}”";
    }
}
