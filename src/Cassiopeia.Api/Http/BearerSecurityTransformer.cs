using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Cassiopeia.Api.Http;

/// <summary>Declares the Bearer scheme (access token or API key) in the OpenAPI document.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            BearerFormat = "JWT access token or csk_ API key",
            Description = "Authorization: Bearer <access token or API key>",
        };
        document.Info.Title = "Cassiopeia API";
        return Task.CompletedTask;
    }
}
