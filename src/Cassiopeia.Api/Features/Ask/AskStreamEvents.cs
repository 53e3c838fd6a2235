using Cassiopeia.Api.Http;
using Cassiopeia.Core.Answers;
using Cassiopeia.Core.Common;
using Cassiopeia.Core.Usage;

namespace Cassiopeia.Api.Features.Ask;

/// <summary>Event <c>token</c>: the next piece of the answer.</summary>
public sealed record AskTokenEvent(string Text);

/// <summary>Event <c>citations</c>, the last one of a successful answer.</summary>
public sealed record AskCitationsEvent(string Answer, IReadOnlyList<Citation> Citations, TokenUsage Usage);

/// <summary>Event <c>error</c>: the answer failed midway; shaped like a problem response.</summary>
public sealed record AskErrorEvent(string Type, string Title, int Status, string Detail, int? RetryAfter, string TraceId)
{
    public static AskErrorEvent From(Error error, string traceId)
    {
        var status = error.Kind == ErrorKind.ProviderUnavailable ? StatusCodes.Status503ServiceUnavailable : StatusCodes.Status502BadGateway;
        return new(Problems.TypeOf(error.Code), Problems.Title(status), status, error.Detail, error.RetryAfterSeconds, traceId);
    }
}
