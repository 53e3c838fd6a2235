using Cassiopeia.Infrastructure;
using Microsoft.AspNetCore.Diagnostics;

namespace Cassiopeia.Api.Http;

/// <summary>
/// The one place exceptions become responses. Unreadable requests (bad JSON, wrong content type,
/// body too large) keep their 4xx status with a fixed explanation; anything else is a 500 that
/// says nothing of the exception: its details go to the log under the same trace id. Outages are
/// not bugs: a database that cannot be reached answers 503 with <c>Retry-After</c>, a full disk 507,
/// each logged as one line without a stack trace (an outage fails every request the same way).
/// </summary>
public sealed partial class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    /// <summary>A short outage (a failover, a restart) is over in seconds; clients should not hammer a recovering database.</summary>
    private const string RetryAfterSeconds = "5";

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
        string? code = null;
        string detail;
        if (exception is BadHttpRequestException bad)
        {
            status = bad.StatusCode;
            detail = status switch
            {
                StatusCodes.Status413PayloadTooLarge => "The request body is too large.",
                StatusCodes.Status415UnsupportedMediaType => "Send the body as application/json.",
                _ => "The request could not be read: check that the body is valid JSON of the documented shape and that parameters have the right types.",
            };
            LogBadRequest(logger, status, exception);
        }
        else if (exception is OperationCanceledException && httpContext.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is nobody to answer.
            return true;
        }
        else if (UnstorableText.Is(exception))
        {
            status = StatusCodes.Status400BadRequest;
            code = "invalid-text";
            detail = "The request holds a character that cannot be stored, such as U+0000; nothing was changed.";
            LogBadRequest(logger, status, exception);
        }
        else if (Outage.Classify(exception) is var outage and not OutageKind.None)
        {
            Outage.ForgetBrokenConnections(outage);
            (status, code, detail) = outage == OutageKind.StorageFull
                ? (StatusCodes.Status507InsufficientStorage, "insufficient-storage", "The server has no storage space left for this request; nothing was stored. Try again later.")
                : (StatusCodes.Status503ServiceUnavailable, "database-unavailable", "The database is unavailable; nothing was changed. Try again shortly.");
            if (status == StatusCodes.Status503ServiceUnavailable)
            {
                httpContext.Response.Headers.RetryAfter = RetryAfterSeconds;
            }

            LogOutage(logger, status, outage, exception.GetType().Name, Innermost(exception).Message);
        }
        else
        {
            status = StatusCodes.Status500InternalServerError;
            detail = "An unexpected error occurred. Quote the trace id when reporting it.";
            LogUnhandled(logger, exception);
        }

        httpContext.Response.StatusCode = status;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            Exception = exception,
            ProblemDetails = { Status = status, Type = code is null ? null : Problems.TypeOf(code), Title = Problems.Title(status), Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected unreadable request with {Status}")]
    private static partial void LogBadRequest(ILogger logger, int status, Exception exception);

    private static Exception Innermost(Exception exception) => exception.InnerException is { } inner ? Innermost(inner) : exception;

    [LoggerMessage(Level = LogLevel.Warning, Message = "Answered {Status}: {Outage} ({ExceptionType}: {Reason})")]
    private static partial void LogOutage(ILogger logger, int status, OutageKind outage, string exceptionType, string reason);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
