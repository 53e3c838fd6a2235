using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Api.Http;

/// <summary>
/// Applies the body limit of the endpoint (its <c>RequestSizeLimit</c> metadata, else
/// <see cref="HttpApiOptions.MaxRequestBodyBytes"/>): a declared length over it is refused at once
/// with 413, and the server enforces the same limit on bodies of unknown length while they are read.
/// </summary>
public sealed class RequestBodyLimitMiddleware(RequestDelegate next, IOptions<HttpApiOptions> options)
{
    public async Task InvokeAsync(HttpContext context, IProblemDetailsService problems)
    {
        var limit = context.GetEndpoint()?.Metadata.GetMetadata<IRequestSizeLimitMetadata>()?.MaxRequestBodySize ?? options.Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            await problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, "payload-too-large", $"The request body is larger than {limit} bytes.");
            return;
        }

        var feature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (feature is { IsReadOnly: false })
        {
            feature.MaxRequestBodySize = limit;
        }

        if (context.Request.ContentLength is null && context.Request.Body.CanRead)
        {
            // A body of unknown length is counted as it is read, whatever the server in front enforces.
            context.Request.Body = new LengthLimitedStream(context.Request.Body, limit);
        }

        await next(context);
    }
}
