namespace Cassiopeia.Api.Http;

/// <summary>
/// Headers every response carries (OWASP secure headers for an API). The API reference at
/// <c>/docs</c> is a page with scripts and styles, so it gets a content policy that allows them from this origin.
/// </summary>
public sealed class SecurityHeadersMiddleware(RequestDelegate next)
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string DocsPolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; connect-src 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/docs", StringComparison.OrdinalIgnoreCase) ? DocsPolicy : ApiPolicy;
        context.Response.OnStarting(() =>
        {
            // Responses hold private data: not stored by shared caches; ETag'd resources revalidate.
            if (!context.Response.Headers.ContainsKey("Cache-Control"))
            {
                context.Response.Headers.CacheControl = context.Response.Headers.ContainsKey("ETag") ? "private, no-cache" : "no-store";
            }

            return Task.CompletedTask;
        });
        return next(context);
    }
}
