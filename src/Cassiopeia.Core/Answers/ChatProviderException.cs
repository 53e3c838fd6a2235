namespace Cassiopeia.Core.Answers;

/// <summary>
/// The answering model failed after the client's retries. <see cref="Unavailable"/> means down, too
/// slow, rate limited or paused by the circuit breaker (503); otherwise it answered an error or
/// output that could not be read (502). <see cref="Exception.Message"/> is safe to show.
/// </summary>
public sealed class ChatProviderException : Exception
{
    public ChatProviderException(string message, bool unavailable, TimeSpan? retryAfter = null, Exception? innerException = null)
        : base(message, innerException)
    {
        Unavailable = unavailable;
        RetryAfter = retryAfter;
    }

    public ChatProviderException()
    {
    }

    public ChatProviderException(string message)
        : base(message)
    {
    }

    public ChatProviderException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public bool Unavailable { get; }

    public TimeSpan? RetryAfter { get; }

    public Common.Error ToError() => Unavailable
        ? new(Common.ErrorKind.ProviderUnavailable, "provider-unavailable", Message) { RetryAfterSeconds = RetryAfter is { } wait ? Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds)) : null }
        : new(Common.ErrorKind.ProviderError, "provider-error", Message);
}
