namespace Cassiopeia.Core.Common;

public enum ErrorKind
{
    Validation,
    Unauthorized,
    Forbidden,
    NotFound,
    Conflict,
    Locked,
    TooLarge,
    UnsupportedType,

    /// <summary>An upstream provider (the answering model) failed or answered nonsense: 502.</summary>
    ProviderError,

    /// <summary>An upstream provider is down, too slow or rate limited, or calls to it are paused: 503.</summary>
    ProviderUnavailable,

    /// <summary>The plan's limit for a metric is used up for this billing period: 402.</summary>
    QuotaExceeded,

    /// <summary>The plan in force does not include the feature asked for: 402.</summary>
    FeatureNotInPlan,
}

/// <summary>An expected failure of a use case; the web layer maps it to a problem response.</summary>
/// <param name="Code">Stable, kebab-case problem code (becomes the end of the problem <c>type</c>).</param>
public sealed record Error(ErrorKind Kind, string Code, string Detail)
{
    public IReadOnlyDictionary<string, string[]>? Fields { get; init; }

    /// <summary>Seconds after which retrying may succeed (lockout, a paused provider).</summary>
    public int? RetryAfterSeconds { get; init; }

    /// <summary>Extra members of the problem response (a quota's metric, limit and reset time).</summary>
    public IReadOnlyDictionary<string, object?>? Extensions { get; init; }

    public static Error Validation(string field, string message) =>
        new(ErrorKind.Validation, "validation", "One or more fields are invalid.")
        {
            Fields = new Dictionary<string, string[]> { [field] = [message] },
        };

    public static Error Validation(IReadOnlyDictionary<string, string[]> fields) =>
        new(ErrorKind.Validation, "validation", "One or more fields are invalid.") { Fields = fields };

    public static Error NotFound(string what) => new(ErrorKind.NotFound, "not-found", $"The {what} does not exist.");

    public static Error Forbidden(string detail) => new(ErrorKind.Forbidden, "forbidden", detail);
}

/// <summary>Either a value or an <see cref="Error"/>.</summary>
public readonly struct Result<T>
{
    private Result(T? value, Error? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public Error? Error { get; }

    public bool Succeeded => Error is null;

    public static implicit operator Result<T>(T value) => new(value, null);

    public static implicit operator Result<T>(Error error) => new(default, error);
}
