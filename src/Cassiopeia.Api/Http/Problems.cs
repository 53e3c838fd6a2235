using Cassiopeia.Core.Common;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace Cassiopeia.Api.Http;

/// <summary>Maps use-case errors to RFC 9457 problem responses with stable <c>type</c> URIs.</summary>
public static class Problems
{
    public static string TypeOf(string code) => "/problems/" + code;

    public static ProblemHttpResult ToProblem(this Error error, HttpContext? context = null)
    {
        if (error.RetryAfterSeconds is { } seconds && context is not null)
        {
            context.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var status = error.Kind switch
        {
            ErrorKind.Validation => StatusCodes.Status400BadRequest,
            ErrorKind.Unauthorized => StatusCodes.Status401Unauthorized,
            ErrorKind.Forbidden => StatusCodes.Status403Forbidden,
            ErrorKind.NotFound => StatusCodes.Status404NotFound,
            ErrorKind.Conflict => StatusCodes.Status409Conflict,
            ErrorKind.Locked => StatusCodes.Status423Locked,
            ErrorKind.TooLarge => StatusCodes.Status413PayloadTooLarge,
            ErrorKind.UnsupportedType => StatusCodes.Status415UnsupportedMediaType,
            ErrorKind.ProviderError => StatusCodes.Status502BadGateway,
            ErrorKind.ProviderUnavailable => StatusCodes.Status503ServiceUnavailable,
            ErrorKind.QuotaExceeded or ErrorKind.FeatureNotInPlan => StatusCodes.Status402PaymentRequired,
            _ => StatusCodes.Status400BadRequest,
        };
        ProblemDetails problem = error.Fields is { } fields
            ? new HttpValidationProblemDetails(fields.ToDictionary(f => f.Key, f => f.Value, StringComparer.Ordinal))
            : new ProblemDetails();
        problem.Status = status;
        problem.Type = TypeOf(error.Code);
        problem.Title = Title(status);
        problem.Detail = error.Detail;
        foreach (var (key, value) in error.Extensions ?? new Dictionary<string, object?>())
        {
            problem.Extensions[key] = value;
        }

        return TypedResults.Problem(problem);
    }

    /// <summary>Writes a problem response directly, for middleware that answers before any endpoint runs.</summary>
    public static Task WriteAsync(this IProblemDetailsService problems, HttpContext context, int status, string code, string detail)
    {
        context.Response.StatusCode = status;
        return problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = { Status = status, Type = TypeOf(code), Title = Title(status), Detail = detail },
        }).AsTask();
    }

    public static ProblemHttpResult NotFound(string what) => Error.NotFound(what).ToProblem();

    public static string Title(int status) => status switch
    {
        400 => "Invalid request",
        401 => "Unauthorized",
        402 => "Payment required",
        403 => "Forbidden",
        404 => "Not found",
        405 => "Method not allowed",
        409 => "Conflict",
        413 => "Payload too large",
        415 => "Unsupported media type",
        422 => "Unprocessable request",
        423 => "Locked",
        429 => "Too many requests",
        502 => "Bad gateway",
        503 => "Service unavailable",
        507 => "Insufficient storage",
        _ => status >= 500 ? "Server error" : "Request failed",
    };
}
