using System.Text;
using Cassiopeia.Core.Answers;
using Cassiopeia.Core.Usage;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Interviews.Requirements;

/// <summary>Requirements and how they were obtained: <see cref="Extractor"/> is <c>model</c> or <c>rules</c>.</summary>
public sealed record RequirementSet(IReadOnlyList<Requirement> Requirements, string Extractor, string Model, TokenUsage Tokens)
{
    public const string ByModel = "model";
    public const string ByRules = "rules";
}

/// <summary>
/// Requirements from a job description's screened chunks. With a language model configured
/// (<see cref="ChatModelOptions.UsesOpenAi"/>), the model is asked for JSON against
/// <see cref="RequirementJson.Schema"/> with the active <c>match</c> prompt as its rules; output that
/// fails validation is sent back once with the errors for repair; if that fails too, or the provider
/// is unavailable, the deterministic <see cref="RuleBasedRequirementExtractor"/> answers instead, so
/// a match never fails because of the model. Without a model the rules answer directly.
/// </summary>
public sealed partial class ExtractRequirements(IChatClient chat, IOptions<ChatModelOptions> options, ILogger<ExtractRequirements> logger)
{
    public const string RulesModel = "rules";

    /// <summary>Longest job description text sent to a model, in characters (about 6,000 tokens).</summary>
    public const int MaxPromptCharacters = 24_000;

    public async Task<RequirementSet> HandleAsync(IReadOnlyList<SourceText> chunks, string systemPrompt, CancellationToken ct)
    {
        if (options.Value.UsesOpenAi && chunks.Count > 0)
        {
            var byModel = await ByModelAsync(chunks, systemPrompt, ct);
            if (byModel is not null)
            {
                return byModel;
            }
        }

        return new RequirementSet(RuleBasedRequirementExtractor.Extract(chunks), RequirementSet.ByRules, RulesModel, TokenUsage.None);
    }

    private async Task<RequirementSet?> ByModelAsync(IReadOnlyList<SourceText> chunks, string systemPrompt, CancellationToken ct)
    {
        List<ChatMessage> messages = [new(ChatRole.System, systemPrompt), new(ChatRole.User, UserMessage(chunks))];
        var chatOptions = new ChatOptions
        {
            ResponseFormat = ChatResponseFormat.ForJsonSchema(RequirementJson.Schema, RequirementJson.SchemaName, "The requirements of a job description."),
            Temperature = 0,
        };
        var tokens = TokenUsage.None;
        string? modelId = null;
        for (var attempt = 1; attempt <= 2; attempt++)
        {
            ChatResponse response;
            try
            {
                response = await chat.GetResponseAsync(messages, chatOptions, ct);
            }
            catch (ChatProviderException e)
            {
                LogFallback(logger, "the provider failed: " + e.Message);
                return null;
            }

            modelId ??= response.ModelId;
            var output = response.Text;
            var used = AskQuestion.UsageOf(response.Usage, messages, output);
            tokens = new TokenUsage(tokens.InputTokens + used.InputTokens, tokens.OutputTokens + used.OutputTokens, tokens.TotalTokens + used.TotalTokens, tokens.Estimated || used.Estimated);
            var (requirements, errors) = RequirementJson.Parse(output);
            if (requirements is { Count: > 0 })
            {
                var sourced = requirements.Select(r => r with { ChunkId = SourceOf(r.Text, chunks) }).ToList();
                return new RequirementSet(sourced, RequirementSet.ByModel, modelId ?? options.Value.Model ?? "unknown", tokens);
            }

            LogInvalid(logger, attempt, string.Join(" ", errors.Take(5)));
            messages.Add(new ChatMessage(ChatRole.Assistant, output.Length > 4000 ? output[..4000] : output));
            messages.Add(new ChatMessage(ChatRole.User, "That output does not match the schema: " + string.Join(" ", errors.Take(10))
                + " Reply again with only the JSON object, with at least one requirement."));
        }

        LogFallback(logger, "the output stayed invalid after one repair");
        return null;
    }

    /// <summary>The job description as one escaped element: its text cannot close the element or pose as instructions.</summary>
    private static string UserMessage(IReadOnlyList<SourceText> chunks)
    {
        var text = new StringBuilder("<job_description>\n");
        foreach (var chunk in chunks)
        {
            if (text.Length + chunk.Text.Length > MaxPromptCharacters)
            {
                break;
            }

            text.Append(GroundedPrompt.Escape(chunk.Text)).Append("\n\n");
        }

        return text.Append("</job_description>").ToString();
    }

    /// <summary>The chunk sharing the most key terms with a requirement the model wrote.</summary>
    private static string? SourceOf(string requirement, IReadOnlyList<SourceText> chunks)
    {
        var terms = KeyTerms.Of(requirement).Select(KeyTerms.Canonical).ToList();
        return chunks
            .Select(c => (c.ChunkId, Hits: terms.Count(KeyTerms.CanonicalWords(c.Text).Contains)))
            .Where(c => c.Hits > 0)
            .OrderByDescending(c => c.Hits)
            .Select(c => c.ChunkId)
            .FirstOrDefault();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Requirement extraction by the model returned invalid output (attempt {Attempt}): {Errors}")]
    private static partial void LogInvalid(ILogger logger, int attempt, string errors);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Requirement extraction falls back to the rules: {Reason}")]
    private static partial void LogFallback(ILogger logger, string reason);
}
