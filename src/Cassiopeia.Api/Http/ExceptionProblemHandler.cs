using Microsoft.AspNetCore.Diagnostics;

namespace Cassiopeia.Api.Http;

/// <summary>
/// The one place exceptions become responses. Unreadable requests (bad JSON, wrong content type,
/// body too large) keep their 4xx status with a fixed explanation; anything else is a 500 that
/// says nothing of the exception: its details go to the log under the same trace id.
/// </summary>
public sealed partial class ExceptionProblemHandler(IProblemDetailsService problems, ILogger<ExceptionProblemHandler> logger) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        int status;
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
            ProblemDetails = { Status = status, Title = Problems.Title(status), Detail = detail },
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Rejected unreadable request with {Status}")]
    private static partial void LogBadRequest(ILogger logger, int status, Exception exception);

    [LoggerMessage(Level = LogLevel.Error, Message = "Unhandled exception")]
    private static partial void LogUnhandled(ILogger logger, Exception exception);
}
