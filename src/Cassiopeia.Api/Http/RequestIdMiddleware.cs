using System.Diagnostics;

namespace Cassiopeia.Api.Http;

/// <summary>
/// Gives every request an id: the client's <c>X-Request-Id</c> when it is a sane token, else a new
/// one. It is echoed on the response, becomes <see cref="HttpContext.TraceIdentifier"/> (and so the
/// problem details' request id), and is added to the log scope and the trace.
/// </summary>
public sealed class RequestIdMiddleware(RequestDelegate next, ILogger<RequestIdMiddleware> logger)
{
    public const string HeaderName = "X-Request-Id";

    public async Task InvokeAsync(HttpContext context)
    {
        var requestId = context.Request.Headers[HeaderName].ToString();
        if (!IsAcceptable(requestId))
        {
            requestId = Activity.Current?.TraceId.ToHexString() ?? Guid.NewGuid().ToString("N");
        }

        context.TraceIdentifier = requestId;
        context.Response.Headers[HeaderName] = requestId;
        Activity.Current?.SetTag("http.request_id", requestId);
        using (logger.BeginScope(new Dictionary<string, object> { ["RequestId"] = requestId }))
        {
            await next(context);
        }
    }

    private static bool IsAcceptable(string value) =>
        value.Length is > 0 and <= 128 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' or ':');
}
