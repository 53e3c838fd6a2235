using System.Diagnostics;

namespace Cassiopeia.Api.Http;

public static class ProblemSetup
{
    /// <summary>Every problem response carries the trace and request ids, and a type even when the framework wrote it.</summary>
    public static IServiceCollection AddCassiopeiaProblems(this IServiceCollection services)
    {
        services.AddExceptionHandler<ExceptionProblemHandler>();
        services.AddSingleton<IProblemDetailsWriter, EventStreamProblemWriter>();
        return services.AddProblemDetails(o => o.CustomizeProblemDetails = c =>
        {
            var problem = c.ProblemDetails;
            problem.Extensions["traceId"] = Activity.Current?.TraceId.ToHexString() ?? c.HttpContext.TraceIdentifier;
            problem.Extensions["requestId"] = c.HttpContext.TraceIdentifier;
            problem.Extensions.Remove("exception");
            if (problem.Status is { } status)
            {
                problem.Title ??= Problems.Title(status);
                if (problem.Type is null || problem.Type.StartsWith("https://tools.ietf.org", StringComparison.Ordinal))
                {
                    problem.Type = Problems.TypeOf(DefaultCode(status));
                }
            }
        });
    }

    private static string DefaultCode(int status) => status switch
    {
        400 => "bad-request",
        401 => "unauthorized",
        403 => "forbidden",
        404 => "not-found",
        405 => "method-not-allowed",
        406 => "not-acceptable",
        413 => "payload-too-large",
        415 => "unsupported-media-type",
        >= 500 => "server-error",
        _ => "request-failed",
    };
}
