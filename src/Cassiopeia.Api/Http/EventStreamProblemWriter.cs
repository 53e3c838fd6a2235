using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.Http;

/// <summary>
/// Writes problems for clients that accept only <c>text/event-stream</c> (EventSource, streaming
/// answers), which the default writer declines: an error before a stream starts is still a problem
/// response with the usual trace id and type.
/// </summary>
internal sealed class EventStreamProblemWriter(IOptions<ProblemDetailsOptions> options) : IProblemDetailsWriter
{
    public bool CanWrite(ProblemDetailsContext context) =>
        context.HttpContext.Request.GetTypedHeaders().Accept.Any(a => a.MediaType.Equals("text/event-stream", StringComparison.OrdinalIgnoreCase));

    public ValueTask WriteAsync(ProblemDetailsContext context)
    {
        options.Value.CustomizeProblemDetails?.Invoke(context);
        return new ValueTask(context.HttpContext.Response.WriteAsJsonAsync(context.ProblemDetails, context.ProblemDetails.GetType(), (System.Text.Json.JsonSerializerOptions?)null, "application/problem+json", context.HttpContext.RequestAborted));
    }
}
