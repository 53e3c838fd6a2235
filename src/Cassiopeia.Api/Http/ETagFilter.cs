using System.Security.Cryptography;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.Http;

/// <summary>
/// Strong ETags for single resources: the hash of the JSON the handler returns. A matching
/// <c>If-None-Match</c> answers 304 with no body. Applied with <see cref="WithETag"/>.
/// </summary>
public static class ETagFilter
{
    public static RouteHandlerBuilder WithETag(this RouteHandlerBuilder builder) =>
        builder.AddEndpointFilter(async (context, next) =>
        {
            var result = await next(context);
            var inner = result is INestedHttpResult nested ? nested.Result : result;
            if (inner is not (IValueHttpResult { Value: { } payload } and IStatusCodeHttpResult { StatusCode: StatusCodes.Status200OK }))
            {
                return result;
            }

            var http = context.HttpContext;
            var json = http.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
            var bytes = JsonSerializer.SerializeToUtf8Bytes(payload, payload.GetType(), json);
            var etag = $"\"{Convert.ToHexStringLower(SHA256.HashData(bytes).AsSpan(0, 12))}\"";
            http.Response.Headers.ETag = etag;
            var ifNoneMatch = http.Request.Headers.IfNoneMatch.ToString();
            return ifNoneMatch.Length > 0 && (ifNoneMatch == "*" || ifNoneMatch.Split(',').Any(t => t.Trim().TrimStart('W', '/') == etag))
                ? TypedResults.StatusCode(StatusCodes.Status304NotModified)
                : result;
        });
}
