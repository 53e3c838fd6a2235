using System.Runtime.CompilerServices;
using System.Text.RegularExpressions;
using Cassiopeia.Core.Answers;
using Microsoft.Extensions.AI;

namespace Cassiopeia.Infrastructure.Ai.Chat;

/// <summary>
/// The offline generator of the embedded profile. It reads the sources and the question back from a
/// <see cref="GroundedPrompt"/> (so it sees exactly what a model would), ranks every source sentence
/// by BM25 against the question's content words, and answers with up to <see cref="MaxSentences"/>
/// of the best sentences quoted verbatim, each followed by its <c>[n]</c> marker. When the best
/// sentence covers less than <see cref="MinCoverage"/> of the question (its content words weighted by
/// IDF, so a missing rare word weighs most) it answers <see cref="GroundedPrompt.NoAnswer"/>. It never
/// writes text of its own, so instructions inside documents can at most be quoted, never obeyed.
/// Usage counts whitespace-separated words: prompt words as input, answer words as output.
/// </summary>
public sealed partial class ExtractiveChatClient : IChatClient
{
    public const string ModelId = "extractive";

    /// <summary>IDF-weighted share of the question's content words the best sentence must contain.</summary>
    public const double MinCoverage = 0.4;

    public const int MaxSentences = 3;

    private const double K1 = 1.2;
    private const double B = 0.75;

    /// <summary>Hidden text is ranked down when the prompt includes it at all.</summary>
    private const double SuspectWeight = 0.5;

    private static readonly ChatClientMetadata Metadata = new("cassiopeia-extractive", null, ModelId);

    public Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        var prompt = messages.ToList();
        var answer = Answer(prompt);
        return Task.FromResult(new ChatResponse(new ChatMessage(ChatRole.Assistant, answer))
        {
            ModelId = ModelId,
            FinishReason = ChatFinishReason.Stop,
            Usage = Usage(prompt, answer),
        });
    }

    /// <summary>The same answer, one word (with its following space) per update, then the usage.</summary>
    public async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var prompt = messages.ToList();
        var answer = Answer(prompt);
        foreach (Match word in WordPattern().Matches(answer))
        {
            cancellationToken.ThrowIfCancellationRequested();
            yield return new ChatResponseUpdate(ChatRole.Assistant, word.Value) { ModelId = ModelId };
            await Task.Yield();
        }

        yield return new ChatResponseUpdate(ChatRole.Assistant, [new UsageContent(Usage(prompt, answer))]) { ModelId = ModelId, FinishReason = ChatFinishReason.Stop };
    }

    public object? GetService(Type serviceType, object? serviceKey = null) =>
        serviceKey is not null ? null
        : serviceType == typeof(ChatClientMetadata) ? Metadata
        : serviceType.IsInstanceOfType(this) ? this
        : null;

    public void Dispose()
    {
    }

    public static string Answer(IReadOnlyList<ChatMessage> messages)
    {
        var user = messages.LastOrDefault(m => m.Role == ChatRole.User)?.Text;
        var prompt = user is null ? null : GroundedPrompt.Parse(user);
        var question = prompt is null ? [] : AnswerText.Terms(prompt.Question).Distinct(StringComparer.Ordinal).ToList();
        if (prompt is null || question.Count == 0)
        {
            return GroundedPrompt.NoAnswer;
        }

        var sentences = prompt.Sources
            .SelectMany(s => AnswerText.Sentences(s.Text).Select(text => new Candidate(s.Number, text, AnswerText.Terms(text), s.Suspect)))
            .Where(c => c.Terms.Count > 0)
            .ToList();
        if (sentences.Count == 0)
        {
            return GroundedPrompt.NoAnswer;
        }

        var idf = question.ToDictionary(t => t, t => Idf(sentences.Count(s => s.Terms.Contains(t)), sentences.Count), StringComparer.Ordinal);
        var totalWeight = idf.Values.Sum();
        var averageLength = sentences.Average(s => s.Terms.Count);
        var ranked = sentences
            .Select(s => (Sentence: s, Score: Bm25(s, idf, averageLength) * (s.Suspect ? SuspectWeight : 1), Coverage: question.Where(s.Terms.Contains).Sum(t => idf[t]) / totalWeight))
            .Where(r => r.Score > 0)
            .OrderByDescending(r => r.Score).ThenBy(r => r.Sentence.Source)
            .ToList();
        if (ranked.Count == 0 || ranked[0].Coverage < MinCoverage)
        {
            return GroundedPrompt.NoAnswer;
        }

        // Further sentences must be relevant in their own right, not merely share one common word.
        var chosen = ranked.Where(r => r.Coverage >= MinCoverage / 2).DistinctBy(r => r.Sentence.Text, StringComparer.Ordinal).Take(MaxSentences);
        return string.Join(' ', chosen.Select(r => $"{r.Sentence.Text} [{r.Sentence.Source}]"));
    }

    private static double Idf(int documentFrequency, int count) => Math.Log(1 + ((count - documentFrequency + 0.5) / (documentFrequency + 0.5)));

    private static double Bm25(Candidate sentence, Dictionary<string, double> idf, double averageLength)
    {
        var score = 0.0;
        foreach (var (term, weight) in idf)
        {
            var frequency = sentence.Terms.Count(t => t == term);
            if (frequency > 0)
            {
                score += weight * frequency * (K1 + 1) / (frequency + (K1 * (1 - B + (B * sentence.Terms.Count / averageLength))));
            }
        }

        return score;
    }

    private static UsageDetails Usage(IEnumerable<ChatMessage> prompt, string answer)
    {
        long input = prompt.Sum(m => CountWords(m.Text));
        long output = CountWords(answer);
        return new UsageDetails { InputTokenCount = input, OutputTokenCount = output, TotalTokenCount = input + output };
    }

    private static int CountWords(string text) => text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries).Length;

    [GeneratedRegex(@"\S+\s*", RegexOptions.CultureInvariant)]
    private static partial Regex WordPattern();

    private sealed record Candidate(int Source, string Text, List<string> Terms, bool Suspect);
}
