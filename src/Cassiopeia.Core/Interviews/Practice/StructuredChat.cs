using System.Text.Json;
using Cassiopeia.Core.Answers;
using Cassiopeia.Core.Usage;
using Microsoft.Extensions.AI;

namespace Cassiopeia.Core.Interviews.Practice;

/// <summary>What a structured call produced: the validated value (null when both attempts failed), the tokens spent and why it failed.</summary>
internal sealed record StructuredResult<T>(T? Value, TokenUsage Usage, string? Model, int Calls, IReadOnlyList<string> Problems)
    where T : class;

/// <summary>
/// Asks a chat model for JSON against a schema, parses and validates the reply, and when it is
/// unreadable or invalid asks once more with the problems listed (the repair turn). A provider that
/// fails (after the resilient client's own retries) ends the attempt at once.
/// </summary>
internal static class StructuredChat
{
    public const int MaxProblemsShown = 12;

    public static async Task<StructuredResult<T>> RunAsync<T>(
        IChatClient chat, List<ChatMessage> messages, ChatOptions options, Func<JsonElement, (T? Value, List<string> Problems)> validate, CancellationToken ct)
        where T : class
    {
        var usage = TokenUsage.None;
        string? model = null;
        List<string> problems = [];
        var conversation = new List<ChatMessage>(messages);
        for (var call = 1; call <= 2; call++)
        {
            ChatResponse response;
            try
            {
                response = await chat.GetResponseAsync(conversation, options, ct);
            }
            catch (ChatProviderException e)
            {
                return new StructuredResult<T>(null, usage, model, call, [$"The provider failed: {e.Message}"]);
            }

            var text = response.Text.Trim();
            model ??= response.ModelId;
            usage = Add(usage, AskQuestion.UsageOf(response.Usage, conversation, text));
            (var value, problems) = Parse(text, validate);
            if (value is not null && problems.Count == 0)
            {
                return new StructuredResult<T>(value, usage, model, call, []);
            }

            conversation.Add(new ChatMessage(ChatRole.Assistant, text));
            conversation.Add(new ChatMessage(ChatRole.User, RepairMessage(problems)));
        }

        return new StructuredResult<T>(null, usage, model, 2, problems);
    }

    public static string RepairMessage(IReadOnlyList<string> problems) =>
        "Your reply did not pass validation:\n"
        + string.Join('\n', problems.Take(MaxProblemsShown).Select(p => $"- {p}"))
        + "\nReply again with the complete JSON object, following the schema and fixing every problem listed. Reply with JSON only.";

    private static (T? Value, List<string> Problems) Parse<T>(string text, Func<JsonElement, (T? Value, List<string> Problems)> validate)
        where T : class
    {
        // Some models wrap JSON in a Markdown fence even when asked not to.
        var json = text.StartsWith("```", StringComparison.Ordinal) ? text.Trim('`').Trim() : text;
        if (json.StartsWith("json", StringComparison.OrdinalIgnoreCase))
        {
            json = json[4..];
        }

        try
        {
            using var document = JsonDocument.Parse(json);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? validate(document.RootElement)
                : (null, ["The reply must be one JSON object."]);
        }
        catch (JsonException)
        {
            return (null, ["The reply was not valid JSON."]);
        }
    }

    private static TokenUsage Add(TokenUsage a, TokenUsage b) =>
        new(a.InputTokens + b.InputTokens, a.OutputTokens + b.OutputTokens, a.TotalTokens + b.TotalTokens, a.Estimated || b.Estimated);
}
