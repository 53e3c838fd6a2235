using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text;
using Cassiopeia.Core.Accounts;
using Cassiopeia.Core.Billing;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Data;
using Cassiopeia.Core.Documents;
using Cassiopeia.Core.Search;
using Cassiopeia.Core.Usage;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Answers;

public sealed record AskRequest(string? Question, IReadOnlyList<string>? DocumentIds = null, IReadOnlyList<string>? Kinds = null, int? TopK = null);

public sealed record AskResponse(string Answer, IReadOnlyList<Citation> Citations, TokenUsage Usage);

/// <summary>A validated question with its retrieved sources and the prompt built from them.</summary>
public sealed record PreparedQuestion(string Question, IReadOnlyList<PromptSource> Sources, IReadOnlyList<ChatMessage> Messages);

/// <summary>
/// Answers a question from the caller's documents: retrieve (hybrid search over ready documents of
/// the organization), build a grounded prompt (<see cref="GroundedPrompt"/>), ask the configured
/// <see cref="IChatClient"/>, map the answer's <c>[n]</c> markers to citations, record usage.
/// </summary>
public sealed partial class AskQuestion(
    SearchChunks search, AppDbContext db, Caller caller, IChatClient chat, IOptions<ChatModelOptions> options, IUsageRecorder usage, UsageMeter meter, TimeProvider time, ILogger<AskQuestion> logger)
{
    public const int MaxTopK = 20;
    public const string Operation = "ask";

    private readonly ChatModelOptions _options = options.Value;

    /// <summary>The ask taken from the quota by <see cref="PrepareAsync"/>; given back if the provider fails.</summary>
    private QuotaReservation? _reservation;

    public static Validation Validate(AskRequest request) => new Validation()
        .Text(request.Question, "question", SearchChunks.MaxQueryLength, required: true)
        .Require(request.TopK is null or (>= 1 and <= MaxTopK), "topK", $"Between 1 and {MaxTopK}.")
        .Require(request.DocumentIds is null || (request.DocumentIds.Count is > 0 and <= SearchChunks.MaxDocumentFilter && request.DocumentIds.All(id => id is { Length: > 0 and <= Ids.MaxLength })), "documentIds", $"1 to {SearchChunks.MaxDocumentFilter} document ids.")
        .Require(request.Kinds is null || (request.Kinds.Count > 0 && request.Kinds.All(k => k is not null && DocumentKinds.All.Contains(k))), "kinds", "Each one of cv, jd, rubric, other.");

    /// <summary>Validates, retrieves and builds the prompt; nothing is sent to a model yet.</summary>
    public async Task<Result<PreparedQuestion>> PrepareAsync(AskRequest request, CancellationToken ct)
    {
        var validation = Validate(request);
        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        var reserved = await meter.ReserveForModelAsync(Metrics.Asks, 1, ct);
        if (!reserved.Succeeded)
        {
            return reserved.Error!;
        }

        _reservation = reserved.Value;
        try
        {
            return await RetrieveAsync(request, ct);
        }
        catch
        {
            await RefundAsync();
            throw;
        }
    }

    private async Task<PreparedQuestion> RetrieveAsync(AskRequest request, CancellationToken ct)
    {
        var question = request.Question!.Trim();
        var wanted = request.TopK ?? _options.MaxContextChunks;

        // Suspect chunks are dropped after retrieval, so fetch spares that can take their places.
        var hits = await search.FindAsync(question, _options.IncludeSuspectChunks ? wanted : wanted * 2, SearchModes.Hybrid, request.DocumentIds, request.Kinds, ct);
        var ids = hits.Select(h => h.ChunkId).ToList();
        var details = await db.Chunks.AsNoTracking()
            .Where(c => ids.Contains(c.Id))
            .Join(db.Documents, c => c.DocumentId, d => d.Id, (c, d) => new { c.Id, c.Suspect, d.Title })
            .ToDictionaryAsync(c => c.Id, StringComparer.Ordinal, ct);
        var sources = hits
            .Where(h => details.TryGetValue(h.ChunkId, out var d) && (_options.IncludeSuspectChunks || !d.Suspect))
            .Take(wanted)
            .Select((h, i) => new PromptSource(i + 1, h.DocumentId, h.ChunkId, details[h.ChunkId].Title, h.Text, details[h.ChunkId].Suspect))
            .ToList();
        return new PreparedQuestion(question, sources, GroundedPrompt.Build(question, sources));
    }

    public async Task<Result<AskResponse>> RunAsync(AskRequest request, CancellationToken ct)
    {
        var prepared = await PrepareAsync(request, ct);
        if (!prepared.Succeeded)
        {
            return prepared.Error!;
        }

        var (_, sources, messages) = prepared.Value!;
        if (sources.Count == 0)
        {
            await CountAskAsync();
            return new AskResponse(GroundedPrompt.NoAnswer, [], TokenUsage.None);
        }

        var started = Stopwatch.GetTimestamp();
        ChatResponse response;
        try
        {
            response = await chat.GetResponseAsync(messages, ChatOptions(), ct);
        }
        catch (ChatProviderException e)
        {
            LogProviderFailed(logger, e.Unavailable, e.Message);
            await RefundAsync();
            return e.ToError();
        }
        catch
        {
            await RefundAsync();
            throw;
        }

        var answer = response.Text.Trim();
        var tokens = UsageOf(response.Usage, messages, answer);
        var citations = AnswerCitations.Resolve(answer, sources);
        await RecordAsync(response.ModelId, tokens, ct);
        await CountAskAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogAnswered(logger, sources.Count, citations.Count, GroundedPrompt.Version, elapsed.TotalMilliseconds);
        return new AskResponse(answer, citations, tokens);
    }

    /// <summary>The answer as it is generated: tokens, then <see cref="AnswerCompleted"/> or <see cref="AnswerFailed"/>.</summary>
    public async IAsyncEnumerable<AskEvent> StreamAsync(PreparedQuestion prepared, [EnumeratorCancellation] CancellationToken ct)
    {
        var (_, sources, messages) = prepared;
        if (sources.Count == 0)
        {
            await CountAskAsync();
            yield return new AnswerToken(GroundedPrompt.NoAnswer);
            yield return new AnswerCompleted(GroundedPrompt.NoAnswer, [], TokenUsage.None);
            yield break;
        }

        var started = Stopwatch.GetTimestamp();
        var text = new StringBuilder();
        UsageDetails? reported = null;
        string? modelId = null;
        ChatProviderException? failure = null;
        await using (var updates = chat.GetStreamingResponseAsync(messages, ChatOptions(), ct).GetAsyncEnumerator(ct))
        {
            while (true)
            {
                try
                {
                    if (!await updates.MoveNextAsync())
                    {
                        break;
                    }
                }
                catch (ChatProviderException e)
                {
                    failure = e;
                    break;
                }

                var update = updates.Current;
                modelId ??= update.ModelId;
                foreach (var content in update.Contents.OfType<UsageContent>())
                {
                    reported = content.Details;
                }

                if (update.Text is { Length: > 0 } piece)
                {
                    text.Append(piece);
                    yield return new AnswerToken(piece);
                }
            }
        }

        var answer = text.ToString().Trim();
        if (failure is not null)
        {
            LogProviderFailed(logger, failure.Unavailable, failure.Message);
            if (answer.Length > 0)
            {
                // Providers bill what they streamed before failing.
                await RecordAsync(modelId, UsageOf(null, messages, answer), ct);
            }

            await RefundAsync();
            yield return new AnswerFailed(failure.ToError());
            yield break;
        }

        var tokens = UsageOf(reported, messages, answer);
        var citations = AnswerCitations.Resolve(answer, sources);
        await RecordAsync(modelId, tokens, ct);
        await CountAskAsync();
        var elapsed = Stopwatch.GetElapsedTime(started);
        LogAnswered(logger, sources.Count, citations.Count, GroundedPrompt.Version, elapsed.TotalMilliseconds);
        yield return new AnswerCompleted(answer, citations, tokens);
    }

    /// <summary>The provider's counts when it reports them, else about four characters per token.</summary>
    public static TokenUsage UsageOf(UsageDetails? reported, IEnumerable<ChatMessage> messages, string answer)
    {
        if (reported is { InputTokenCount: { } input, OutputTokenCount: { } output })
        {
            return new TokenUsage(input, output, reported.TotalTokenCount ?? (input + output));
        }

        var estimatedInput = messages.Sum(m => Estimate(m.Text));
        var estimatedOutput = Estimate(answer);
        return new TokenUsage(estimatedInput, estimatedOutput, estimatedInput + estimatedOutput, Estimated: true);
    }

    private static long Estimate(string text) => (text.Length + 3) / 4;

    private ChatOptions ChatOptions() => new() { MaxOutputTokens = _options.MaxAnswerTokens };

    /// <summary>The answered ask's usage event (its quota was taken before the answer).</summary>
    private Task CountAskAsync() => meter.WriteAsync(meter.Event(Metrics.Asks, 1));

    private async Task RefundAsync()
    {
        await meter.RefundAsync(_reservation);
        _reservation = null;
    }

    private ValueTask RecordAsync(string? modelId, TokenUsage tokens, CancellationToken ct)
    {
        var model = modelId ?? chat.GetService<ChatClientMetadata>()?.DefaultModelId ?? "unknown";
        return usage.RecordAsync(new UsageRecord(caller.RequireOrganizationId, caller.UserId, caller.ApiKeyId, Operation, model, tokens, time.GetUtcNow().UtcDateTime), ct);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Answered from {Sources} sources with {Citations} citations (prompt {PromptVersion}) in {ElapsedMs:0} ms")]
    private static partial void LogAnswered(ILogger logger, int sources, int citations, string promptVersion, double elapsedMs);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The answer provider failed (unavailable: {Unavailable}): {Reason}")]
    private static partial void LogProviderFailed(ILogger logger, bool unavailable, string reason);
}
