using System.Text.RegularExpressions;

namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>
/// What can be read off an answer without a model: its words and sentences, the STAR parts it
/// contains (by cue phrases), first-person actions, numbers and named technologies.
/// </summary>
internal sealed partial class AnswerSignals
{
    public AnswerSignals(string answer)
    {
        Text = answer.Trim();
        Words = PracticeText.Words(Text);
        Stems = Words.Where(PracticeText.IsContent).Select(PracticeText.Stem).ToHashSet(StringComparer.Ordinal);
        Sentences = Ingestion.SentenceSplitter.Split(Text).Select(s => s.Trim()).Where(s => s.Length > 0).ToList();
        Actions = Sentences.Where(s => ActionPattern().IsMatch(s)).ToList();
        Situation = Sentences.FirstOrDefault(s => SituationPattern().IsMatch(s));
        Task = Sentences.FirstOrDefault(s => TaskPattern().IsMatch(s));
        Results = Sentences.Where(s => ResultPattern().IsMatch(s)).OrderByDescending(PracticeText.HasNumber).ToList();
        Numbers = PracticeText.Numbers(Text).Distinct(StringComparer.Ordinal).ToList();
        NamedThings = NamedPattern().Matches(Text).Select(m => m.Value).Where(w => !NotNames.Contains(w)).Distinct(StringComparer.Ordinal).ToList();
        Reasoning = ReasoningPattern().Count(Text);
        Timeline = TimelinePattern().IsMatch(Text);
    }

    public string Text { get; }

    public List<string> Words { get; }

    public HashSet<string> Stems { get; }

    public List<string> Sentences { get; }

    /// <summary>Sentences in which the speaker acts ("I migrated…", "I decided…").</summary>
    public List<string> Actions { get; }

    public string? Situation { get; }

    public string? Task { get; }

    /// <summary>Sentences stating an outcome, those with a number first.</summary>
    public List<string> Results { get; }

    public List<string> Numbers { get; }

    /// <summary>Capitalised or symbol-bearing words inside sentences: tools, products, places ("PostgreSQL", "p95", "C#").</summary>
    public List<string> NamedThings { get; }

    /// <summary>Marks of reasoning: because, instead, trade-off, alternative, risk.</summary>
    public int Reasoning { get; }

    /// <summary>Mentions of time-boxed steps (first two weeks, by month three).</summary>
    public bool Timeline { get; }

    /// <summary>0–1: how much of a well-developed answer's length this has (60 content-bearing words count as full).</summary>
    public double Length => Math.Min(1, Words.Count / 60.0);

    /// <summary>0–1: numbers, named things and first-person actions, each saturating quickly.</summary>
    public double Specifics => (Math.Min(1, Numbers.Count / 2.0) + Math.Min(1, NamedThings.Count / 3.0) + Math.Min(1, Actions.Count / 3.0)) / 3;

    private static readonly HashSet<string> NotNames = new(StringComparer.Ordinal) { "I", "I'm", "I've", "I'd", "I'll", "OK", "The", "We", "It", "My", "Our", "In", "At", "On", "As", "After", "Before", "When", "Then", "So", "But", "And", "This", "That" };

    [GeneratedRegex(@"\b(I|I've|I'd)\s+(?:\w+ly\s+|then\s+|also\s+|first\s+|personally\s+)?(\w+ed|built|led|wrote|ran|made|set|took|chose|began|drove|spoke|met|paired|split|kept|sent|brought|found|did|decided|started|proposed|introduced|created|rewrote|cut|put|gave|sat|taught|went|got|held|won|fixed|moved|added|tested|shipped|owned|dug|traced|profiled|asked|worked|reviewed|measured|wrote|redesigned)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ActionPattern();

    [GeneratedRegex(@"(?i:\b(when I was|at my (last|previous|current)|in (19|20)\d\d|last year|our team|the team|we had|we were|the situation|context|a client|the company|the project|on a project|working at|while at)\b)|\bat \p{Lu}\w+")]
    private static partial Regex SituationPattern();

    [GeneratedRegex(@"\b(my (task|job|role|goal|responsibility)|I was (responsible|asked|tasked|in charge)|needed to|had to|the goal|the aim|in charge of|was expected to)\b", RegexOptions.IgnoreCase)]
    private static partial Regex TaskPattern();

    [GeneratedRegex(@"\b(as a result|result(ed|s)?|outcome|reduc\w*|increas\w*|improv\w*|sav(ed|ing)|cut|dropp\w*|grew|halv\w*|doubl\w*|led to|which meant|in the end|afterwards|since then|impact|fell|rose|went from|no longer)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ResultPattern();

    [GeneratedRegex(@"(?<=[\p{L}\p{N},;:()]\s+)(?:\p{Lu}[\p{L}\p{N}]*[\p{Lu}\p{N}.#+][\p{L}\p{N}.#+]*|\p{Lu}[\p{Ll}]{2,}|[\p{Ll}]+\d+[\p{L}\p{N}]*|\p{L}+#|\p{L}+\+\+)")]
    private static partial Regex NamedPattern();

    [GeneratedRegex(@"\b(because|instead|trade-?offs?|alternatives?|options?|risks?|downsides?|considered|compared|rather than|so that|on the other hand|cost)\b", RegexOptions.IgnoreCase)]
    private static partial Regex ReasoningPattern();

    [GeneratedRegex(@"\b(first|second|third|next)\s+(two\s+|few\s+)?(day|week|month|sprint|quarter)s?\b|\b(within|by|after)\s+(\d+|two|three|four|six)\s+(day|week|month)s?\b|\b(30|60|90)\s+days\b", RegexOptions.IgnoreCase)]
    private static partial Regex TimelinePattern();
}
