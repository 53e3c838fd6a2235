using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Core.Answers;

/// <summary>How questions are answered. Section <c>Chat</c>.</summary>
public sealed class ChatModelOptions
{
    public const string SectionName = "Chat";

    /// <summary><c>Auto</c> (default), <c>OpenAi</c> or <c>Extractive</c>.</summary>
    public ChatProvider Provider { get; set; } = ChatProvider.Auto;

    /// <summary>Base address of an OpenAI-compatible API (requests go to <c>{Endpoint}/chat/completions</c>), e.g. <c>https://api.openai.com/v1</c> or <c>http://localhost:11434/v1</c>.</summary>
    public Uri? Endpoint { get; set; }

    /// <summary>API key, from the environment (<c>Chat__ApiKey</c>) or <see cref="ApiKeyFile"/>; never in settings files, never logged.</summary>
    public string? ApiKey { get; set; }

    /// <summary>File holding the API key (a mounted secret), read when <see cref="ApiKey"/> is unset.</summary>
    public string? ApiKeyFile { get; set; }

    /// <summary>Chat model name, e.g. <c>gpt-4o-mini</c> or <c>llama3.1:8b</c>.</summary>
    public string? Model { get; set; }

    /// <summary>Time allowed to one provider call to start answering; when streaming, also the longest wait for the next token.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:10:00")]
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Time allowed to the whole answer, retries and waits included; past it the request fails with 503.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "00:30:00")]
    public TimeSpan Deadline { get; set; } = TimeSpan.FromSeconds(90);

    /// <summary>Retries of a call that timed out, could not connect, or was answered 408, 429 or 5xx.</summary>
    [Range(0, 10)]
    public int MaxRetries { get; set; } = 2;

    /// <summary>First retry delay; each further retry doubles it (with jitter). A <c>Retry-After</c> from the provider replaces it.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:01:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest <c>Retry-After</c> waited for; a provider asking for more fails the request at once (503 with its <c>Retry-After</c>).</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Share of failed calls within <see cref="BreakerSamplingDuration"/> that opens the circuit breaker.</summary>
    [Range(0.01, 1.0)]
    public double BreakerFailureRatio { get; set; } = 0.5;

    /// <summary>Calls within <see cref="BreakerSamplingDuration"/> before the breaker may open.</summary>
    [Range(2, 10_000)]
    public int BreakerMinimumThroughput { get; set; } = 10;

    /// <summary>Window over which failures are counted.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerSamplingDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long calls are refused (503 with <c>Retry-After</c>) once the breaker opened, before one trial call.</summary>
    [Range(typeof(TimeSpan), "00:00:00.500", "01:00:00")]
    public TimeSpan BreakerBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Chunks given to the generator as sources when a request does not say (<c>topK</c>).</summary>
    [Range(1, AskQuestion.MaxTopK)]
    public int MaxContextChunks { get; set; } = 6;

    /// <summary>Longest answer, in the model's tokens.</summary>
    [Range(16, 16_384)]
    public int MaxAnswerTokens { get; set; } = 512;

    /// <summary>
    /// Give the generator chunks holding text hidden from a human reader (white, tiny, off-page), marked
    /// <c>suspect="true"</c>. Off by default: hidden text is the usual vehicle of prompt injection and of
    /// keyword stuffing, and an answer should rest only on what a reader of the document can check.
    /// </summary>
    public bool IncludeSuspectChunks { get; set; }

    /// <summary>True when <see cref="Provider"/> resolves to the OpenAI-compatible endpoint.</summary>
    public bool UsesOpenAi => Provider == ChatProvider.OpenAi
        || (Provider == ChatProvider.Auto && Endpoint is not null && !string.IsNullOrWhiteSpace(Model));
}
