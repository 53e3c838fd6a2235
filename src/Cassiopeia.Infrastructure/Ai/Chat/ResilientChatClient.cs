using System.ClientModel;
using System.Globalization;
using System.Runtime.CompilerServices;
using Cassiopeia.Core.Answers;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.Logging;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace Cassiopeia.Infrastructure.Ai.Chat;

/// <summary>
/// Keeps a remote chat model from hanging or flooding a request: an overall deadline
/// (<c>Chat:Deadline</c>), retries with exponential backoff and jitter that wait as long as the
/// provider's <c>Retry-After</c> (or <c>retry-after-ms</c>) asks, a circuit breaker shared by all
/// requests, and a timeout per attempt (<c>Chat:Timeout</c>). A stream is retried only until its first
/// update arrives; after that each next update must come within <c>Chat:Timeout</c>. Every failure
/// leaves as a <see cref="ChatProviderException"/>: unavailable (503) when the provider is down, slow,
/// rate limiting or paused by the breaker; an error (502) when it answered an error or unreadable output.
/// </summary>
public sealed partial class ResilientChatClient : DelegatingChatClient
{
    private readonly ChatModelOptions _options;
    private readonly ILogger _logger;
    private readonly ResiliencePipeline _pipeline;

    public ResilientChatClient(IChatClient inner, ChatModelOptions options, ILogger<ResilientChatClient> logger)
        : base(inner)
    {
        _options = options;
        _logger = logger;
        var builder = new ResiliencePipelineBuilder().AddTimeout(options.Deadline);
        if (options.MaxRetries > 0)
        {
            builder.AddRetry(new RetryStrategyOptions
            {
                MaxRetryAttempts = options.MaxRetries,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                ShouldHandle = args => ValueTask.FromResult(IsTransient(args.Outcome.Exception) && !(RetryAfterOf(args.Outcome.Exception) > options.MaxRetryAfter)),
                DelayGenerator = args => ValueTask.FromResult(RetryAfterOf(args.Outcome.Exception)),
                OnRetry = args =>
                {
                    var failure = Describe(args.Outcome.Exception);
                    LogRetry(_logger, args.AttemptNumber + 1, args.RetryDelay.TotalMilliseconds, failure);
                    return ValueTask.CompletedTask;
                },
            });
        }

        _pipeline = builder
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
                ShouldHandle = args => ValueTask.FromResult(args.Outcome.Exception is { } e && e is not (OperationCanceledException or BrokenCircuitException)),
                OnOpened = args =>
                {
                    var failure = Describe(args.Outcome.Exception);
                    LogBreakerOpened(_logger, args.BreakDuration.TotalSeconds, failure);
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.Timeout)
            .Build();
    }

    public override async Task<ChatResponse> GetResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, CancellationToken cancellationToken = default)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async attempt =>
                {
                    var response = await base.GetResponseAsync(messages, options, attempt);
                    return string.IsNullOrWhiteSpace(response.Text) ? throw new InvalidDataException("The provider returned no text.") : response;
                },
                cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            throw Fail(e);
        }
    }

    public override async IAsyncEnumerable<ChatResponseUpdate> GetStreamingResponseAsync(IEnumerable<ChatMessage> messages, ChatOptions? options = null, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(_options.Deadline);
        var (updates, idle) = await ConnectAsync(messages, options, deadline.Token, cancellationToken);
        try
        {
            yield return updates.Current;
            while (true)
            {
                idle.CancelAfter(_options.Timeout);
                bool more;
                try
                {
                    more = await updates.MoveNextAsync();
                }
                catch (Exception e) when (!cancellationToken.IsCancellationRequested)
                {
                    throw Fail(e);
                }

                idle.CancelAfter(Timeout.InfiniteTimeSpan);
                if (!more)
                {
                    yield break;
                }

                yield return updates.Current;
            }
        }
        finally
        {
            await updates.DisposeAsync();
            idle.Dispose();
        }
    }

    /// <summary>Opens the stream and waits for its first update under the pipeline (retries, breaker, attempt timeout).</summary>
    private async Task<(IAsyncEnumerator<ChatResponseUpdate> Updates, CancellationTokenSource Idle)> ConnectAsync(
        IEnumerable<ChatMessage> messages, ChatOptions? options, CancellationToken deadline, CancellationToken caller)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                async attempt =>
                {
                    // The stream outlives this attempt, so it gets its own token; the attempt's timeout cancels it only until the first update.
                    var idle = CancellationTokenSource.CreateLinkedTokenSource(deadline);
                    var updates = base.GetStreamingResponseAsync(messages, options, idle.Token).GetAsyncEnumerator(idle.Token);
                    try
                    {
                        using (attempt.Register(static s => ((CancellationTokenSource)s!).Cancel(), idle))
                        {
                            return await updates.MoveNextAsync() ? (updates, idle) : throw new InvalidDataException("The provider closed the stream without an answer.");
                        }
                    }
                    catch
                    {
                        await updates.DisposeAsync();
                        idle.Dispose();
                        throw;
                    }
                },
                deadline);
        }
        catch (Exception e) when (!caller.IsCancellationRequested)
        {
            throw Fail(e);
        }
    }

    /// <summary>Worth another attempt: no answer in time, no connection, or 408, 429, 5xx.</summary>
    public static bool IsTransient(Exception? exception) => exception switch
    {
        TimeoutRejectedException or HttpRequestException => true,
        ClientResultException { Status: 0 or 408 or 429 or >= 500 } => true,
        _ => false,
    };

    /// <summary>The wait a 429 or 503 asks for in <c>retry-after-ms</c> or <c>Retry-After</c> (seconds or an HTTP date).</summary>
    public static TimeSpan? RetryAfterOf(Exception? exception)
    {
        if (exception is not ClientResultException { Status: 429 or 503 } e || e.GetRawResponse() is not { } response)
        {
            return null;
        }

        if (response.Headers.TryGetValue("retry-after-ms", out var ms) && double.TryParse(ms, NumberStyles.Float, CultureInfo.InvariantCulture, out var milliseconds) && milliseconds >= 0)
        {
            return TimeSpan.FromMilliseconds(milliseconds);
        }

        if (response.Headers.TryGetValue("Retry-After", out var value) && value is not null)
        {
            if (int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
            {
                return TimeSpan.FromSeconds(seconds);
            }

            if (DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                var wait = at - DateTimeOffset.UtcNow;
                return wait > TimeSpan.Zero ? wait : TimeSpan.Zero;
            }
        }

        return null;
    }

    private ChatProviderException Fail(Exception exception)
    {
        var failure = exception switch
        {
            ChatProviderException known => known,
            BrokenCircuitException open => new ChatProviderException("The answer provider is failing; calls to it are paused.", unavailable: true, open.RetryAfter ?? _options.BreakerBreakDuration, open),
            TimeoutRejectedException or OperationCanceledException => new ChatProviderException($"The answer provider did not answer in time (attempts are limited to {_options.Timeout.TotalSeconds:0.#} s).", unavailable: true, innerException: exception),
            ClientResultException { Status: 429 } e => new ChatProviderException("The answer provider is rate limiting requests.", unavailable: true, RetryAfterOf(e), e),
            ClientResultException { Status: 503 } e => new ChatProviderException("The answer provider is unavailable.", unavailable: true, RetryAfterOf(e), e),
            ClientResultException { Status: 0 } or HttpRequestException => new ChatProviderException("The answer provider could not be reached.", unavailable: true, innerException: exception),
            ClientResultException e => new ChatProviderException($"The answer provider answered with status {e.Status}.", unavailable: false, innerException: e),
            _ => new ChatProviderException("The answer provider returned output that could not be read.", unavailable: false, innerException: exception),
        };
        var described = Describe(exception);
        LogFailure(_logger, failure.Unavailable, described, exception);
        return failure;
    }

    private static string Describe(Exception? exception) => exception switch
    {
        null => "no exception",
        ClientResultException e => $"{e.GetType().Name} (status {e.Status})",
        _ => exception.GetType().Name,
    };

    [LoggerMessage(Level = LogLevel.Information, Message = "Chat provider attempt failed with {Failure}; retry {Retry} in {DelayMs:0} ms")]
    private static partial void LogRetry(ILogger logger, int retry, double delayMs, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat provider circuit breaker opened for {BreakSeconds:0.#} s after {Failure}")]
    private static partial void LogBreakerOpened(ILogger logger, double breakSeconds, string failure);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Chat provider call failed (unavailable: {Unavailable}) with {Failure}")]
    private static partial void LogFailure(ILogger logger, bool unavailable, string failure, Exception exception);
}
