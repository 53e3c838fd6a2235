namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// The offline generator's phrasings: at least <see cref="QuestionRequest.MaxCount"/> in all, so a
/// full interview never repeats one. Each names its subject (a technology, a responsibility, a CV
/// line) and asks for something an interviewer could judge.
/// </summary>
internal static class QuestionTemplates
{
    public static readonly IReadOnlyList<QuestionTemplate> All =
    [
        // Technical: how a skill the JD asks for is used.
        new("technical-production", QuestionCategory.Technical, Difficulty.Medium, true,
            s => $"How have you used {s.Term} in production, and what problems did it solve for you?"),
        new("technical-hardest-problem", QuestionCategory.Technical, Difficulty.Medium, true,
            s => $"What is the hardest problem you have solved with {s.Term}, and how did you approach it?"),
        new("technical-incidents", QuestionCategory.Technical, Difficulty.Hard, true,
            s => $"Imagine joining a team where work built on {s.Term} keeps causing incidents. How would you find the cause and fix it?"),
        new("technical-common-mistakes", QuestionCategory.Technical, Difficulty.Easy, true,
            s => $"Which mistakes do people commonly make with {s.Term}, and how do you avoid them?"),
        new("technical-right-choice", QuestionCategory.Technical, Difficulty.Medium, true,
            s => $"How would you explain to a new colleague when {s.Term} is the right choice and when it is not?"),
        new("technical-testing", QuestionCategory.Technical, Difficulty.Medium, true,
            s => $"How do you test and monitor work that depends on {s.Term}?"),
        new("technical-trade-off", QuestionCategory.Technical, Difficulty.Hard, true,
            s => $"Describe a design decision involving {s.Term} where you had to weigh trade-offs. What did you choose, and why?"),
        new("technical-review", QuestionCategory.Technical, Difficulty.Easy, true,
            s => $"When you review a colleague's design that relies on {s.Term}, what do you check first?"),
        new("technical-current", QuestionCategory.Technical, Difficulty.Easy, true,
            s => $"How do you keep your knowledge of {s.Term} current, and what recent change affected how you work?"),
        new("technical-scale", QuestionCategory.Technical, Difficulty.Hard, true,
            s => $"How would you design a system that relies on {s.Term} so that it stays reliable when the load grows tenfold?"),
        new("technical-first-steps", QuestionCategory.Technical, Difficulty.Medium, false,
            s => $"The job description lists {s.Quoted}. How would you approach that here, and what would you do first?"),
        new("technical-preparation", QuestionCategory.Technical, Difficulty.Easy, false,
            s => $"The role calls for {s.Quoted}. Which parts of your past work prepared you for that, specifically?"),

        // Behavioural: a past situation, answered best as situation, task, action, result.
        new("behavioural-disagreement", QuestionCategory.Behavioural, Difficulty.Medium, true,
            s => $"Tell me about a time you disagreed with a teammate about an approach to {s.Term}. How did you resolve it, and what was the outcome?"),
        new("behavioural-deadline", QuestionCategory.Behavioural, Difficulty.Medium, true,
            s => $"Describe a situation where a project involving {s.Term} went wrong close to a deadline. What did you do, and what was the result?"),
        new("behavioural-similar", QuestionCategory.Behavioural, Difficulty.Easy, false,
            s => $"The job description mentions {s.Quoted}. Tell me about a time you did something similar: the situation, your task, what you did and how it turned out."),
        new("behavioural-persuade", QuestionCategory.Behavioural, Difficulty.Hard, false,
            s => $"Consider this requirement: {s.Quoted}. Describe a time you had to persuade others to change course on work like that, and what happened."),
        new("behavioural-learn-fast", QuestionCategory.Behavioural, Difficulty.Easy, true,
            s => $"Tell me about a time you had to learn {s.Term} or something close to it quickly. How did you go about it, and what did you deliver?"),
        new("behavioural-feedback", QuestionCategory.Behavioural, Difficulty.Medium, true,
            s => $"Give an example of feedback you received on your work with {s.Term}. What did you change afterwards, and what was the effect?"),
        new("behavioural-ownership", QuestionCategory.Behavioural, Difficulty.Medium, false,
            s => $"One line of the job description reads {s.Quoted}. Tell me about a time you owned something like that from start to finish. What was at stake, and what was the result?"),
        new("behavioural-mentoring", QuestionCategory.Behavioural, Difficulty.Medium, true,
            s => $"Describe a time you helped a colleague become productive with {s.Term}. What did you do, and how did you know it worked?"),
        new("behavioural-mistake", QuestionCategory.Behavioural, Difficulty.Hard, false,
            s => $"Among the requirements is {s.Quoted}. Tell me about a mistake you made in that kind of work. How did you handle it, and what did you learn?"),
        new("behavioural-quality-speed", QuestionCategory.Behavioural, Difficulty.Hard, true,
            s => $"Tell me about a time you had to balance quality against speed on work involving {s.Term}. What did you decide, and how did it turn out?"),

        // Gap-probing: a requirement the CV shows only in part or not at all.
        new("gap-related-experience", QuestionCategory.GapProbing, Difficulty.Medium, false,
            s => $"The role asks for {s.Quoted}, which your CV does not show clearly. What related experience do you have, and how would you close the gap?"),
        new("gap-closest-tool", QuestionCategory.GapProbing, Difficulty.Easy, true,
            s => $"Your CV does not mention {s.Term}. What have you used that comes closest, and how would that help you pick up {s.Term}?"),
        new("gap-ninety-days", QuestionCategory.GapProbing, Difficulty.Medium, false,
            s => $"Suppose you start next month and the team expects {s.Quoted} from you. What would your plan for the first 90 days be?"),
        new("gap-ramp-up", QuestionCategory.GapProbing, Difficulty.Medium, true,
            s => $"How would you become productive with {s.Term} in your first weeks here, and how would you show your team you were ready?"),
        new("gap-short-fall", QuestionCategory.GapProbing, Difficulty.Hard, false,
            s => $"The job description lists {s.Quoted}. Where does your experience fall short of that today, and what are you doing about it?"),
        new("gap-day-one", QuestionCategory.GapProbing, Difficulty.Hard, true,
            s => $"On your first day you are asked to fix a problem involving {s.Term}. How would you approach it with the experience you have?"),
        new("gap-partial", QuestionCategory.GapProbing, Difficulty.Medium, false,
            s => $"Your CV covers {s.Quoted} only in part. Which part have you done yourself, and which part would be new to you?",
            s => s.Requirement?.Status == RequirementStatus.Partial),
        new("gap-closest-exposure", QuestionCategory.GapProbing, Difficulty.Easy, true,
            s => $"What is the closest you have come to working with {s.Term}, and what did you take away from it?"),

        // Experience deep-dives: a line of the CV, in depth.
        new("experience-own-part", QuestionCategory.ExperienceDeepDive, Difficulty.Medium, false,
            s => $"Your CV says {s.Quoted}. Walk me through what you personally did there, step by step."),
        new("experience-hardest-decision", QuestionCategory.ExperienceDeepDive, Difficulty.Hard, false,
            s => $"About this line in your CV: {s.Quoted}. What was the hardest decision, and which alternatives did you reject?"),
        new("experience-measured", QuestionCategory.ExperienceDeepDive, Difficulty.Medium, false,
            s => $"Your CV mentions {s.Quoted}. How did you measure the outcome, and what would you do differently now?"),
        new("experience-attribution", QuestionCategory.ExperienceDeepDive, Difficulty.Hard, false,
            s => $"Take this claim from your CV: {s.Quoted}. Who else was involved, and which part of the result do you attribute to your own work?"),
        new("experience-problem", QuestionCategory.ExperienceDeepDive, Difficulty.Easy, false,
            s => $"Your CV states {s.Quoted}. What problem were you solving, and how did you know it was the right one to solve?"),
        new("experience-recovery", QuestionCategory.ExperienceDeepDive, Difficulty.Medium, false,
            s => $"Looking at {s.Quoted} on your CV, what went wrong along the way, and how did you recover?"),
        new("experience-half-time", QuestionCategory.ExperienceDeepDive, Difficulty.Hard, false,
            s => $"Your CV lists {s.Quoted}. If you had to do it again in half the time, what would you keep and what would you cut?"),
        new("experience-effect", QuestionCategory.ExperienceDeepDive, Difficulty.Easy, false,
            s => $"Regarding {s.Quoted} on your CV: how did that work change things for your team or your users afterwards?"),
        new("experience-baseline", QuestionCategory.ExperienceDeepDive, Difficulty.Medium, false,
            s => $"Your CV claims {s.Quoted}. How did you arrive at that number, and what was the baseline?",
            s => s.HasNumber),
        new("experience-lessons", QuestionCategory.ExperienceDeepDive, Difficulty.Easy, false,
            s => $"Tell me more about {s.Quoted} from your CV. What did you learn there that you would bring to this role?"),
    ];

    /// <summary>A sentence that moves a template to another difficulty; none when it already fits.</summary>
    public static string? Adjustment(QuestionCategory category, Difficulty natural, Difficulty wanted) => (natural, wanted) switch
    {
        (Difficulty.Hard, Difficulty.Easy) => "A short, high-level answer is fine.",
        (not Difficulty.Hard, Difficulty.Hard) => category switch
        {
            QuestionCategory.Technical => "Include the trade-offs you weighed and how your approach would hold up at ten times the load.",
            QuestionCategory.Behavioural => "Be specific about your own part and what you would do differently next time.",
            QuestionCategory.GapProbing => "Be concrete about timelines and how you would show your progress.",
            _ => "Include the numbers that show the impact and the alternatives you rejected.",
        },
        _ => null,
    };
}
