using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// Appends, after the application's own pipeline, a terminal step that throws for one test path,
/// so the suite can see how the real exception handling answers an unexpected failure.
/// Any other unmatched request keeps the application's plain 404.
/// </summary>
internal sealed class ThrowingEndpointFilter : IStartupFilter
{
    public const string Path = "/__test/throw";

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        next(app);
        app.Run(context =>
        {
            if (context.Request.Path == Path)
            {
                throw new InvalidOperationException("secret internal detail: connection string Password=hunter2");
            }

            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return Task.CompletedTask;
        });
    };
}
