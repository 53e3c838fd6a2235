using System.Net.Http.Json;
using System.Text.Json;

namespace Cassiopeia.Proof;

/// <summary>One operation of the service's OpenAPI document: method, path template, parameters, body kind.</summary>
public sealed record ApiRoute(string Method, string Template, IReadOnlyList<string> PathParameters, IReadOnlyList<string> QueryParameters, bool JsonBody, bool MultipartBody)
{
    private static readonly string[] AnonymousPrefixes = ["/v1/auth/", "/v1/uploads/", "/v1/files/", "/v1/billing/webhooks/", "/health", "/metrics", "/openapi", "/docs"];

    public string Key => $"{Method} {Template}";

    /// <summary>Routes that take no credentials: a forged token there proves nothing.</summary>
    public bool Anonymous => !Template.StartsWith("/v1/", StringComparison.Ordinal) || AnonymousPrefixes.Any(p => Template.StartsWith(p, StringComparison.Ordinal));

    /// <summary>Routes whose path token is itself the credential (signed links): a "foreign id" there is a tampered link.</summary>
    public bool CapabilityLink => Template.StartsWith("/v1/uploads/", StringComparison.Ordinal) || Template.StartsWith("/v1/files/", StringComparison.Ordinal);

    /// <summary>Requests that change or remove what they name; the corpus sends them last.</summary>
    public bool Destructive => Method is "DELETE" || Template.EndsWith("/cancel", StringComparison.Ordinal) || Template.EndsWith("/logout", StringComparison.Ordinal);

    /// <summary>Reads the operations of the running service's OpenAPI document, so a new endpoint is covered without editing the corpus.</summary>
    public static async Task<IReadOnlyList<ApiRoute>> DiscoverAsync(HttpClient client, CancellationToken ct)
    {
        var document = await client.GetFromJsonAsync<JsonElement>("/openapi/v1.json", ct);
        var routes = new List<ApiRoute>();
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            var pathLevel = Parameters(path.Value);
            foreach (var operation in path.Value.EnumerateObject())
            {
                if (operation.Name is "parameters" or "summary" or "description" or "servers")
                {
                    continue;
                }

                var parameters = pathLevel.Concat(Parameters(operation.Value)).ToList();
                var content = operation.Value.TryGetProperty("requestBody", out var body) && body.TryGetProperty("content", out var c)
                    ? c.EnumerateObject().Select(p => p.Name).ToList()
                    : [];
                var pathParameters = parameters.Where(p => p.In == "path").Select(p => p.Name).Distinct().ToList();
                foreach (var name in TemplateParameters(path.Name).Except(pathParameters))
                {
                    pathParameters.Add(name);
                }

                routes.Add(new ApiRoute(
                    operation.Name.ToUpperInvariant(),
                    path.Name,
                    pathParameters,
                    [.. parameters.Where(p => p.In == "query").Select(p => p.Name).Distinct()],
                    content.Any(t => t.Contains("json", StringComparison.OrdinalIgnoreCase)),
                    content.Any(t => t.Contains("multipart", StringComparison.OrdinalIgnoreCase))));
            }
        }

        return routes;
    }

    private static IEnumerable<string> TemplateParameters(string template)
    {
        var start = -1;
        for (var i = 0; i < template.Length; i++)
        {
            if (template[i] == '{')
            {
                start = i + 1;
            }
            else if (template[i] == '}' && start >= 0)
            {
                yield return template[start..i].Split(':')[0];
                start = -1;
            }
        }
    }

    private static List<(string Name, string In)> Parameters(JsonElement element) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty("parameters", out var list) && list.ValueKind == JsonValueKind.Array
            ? [.. list.EnumerateArray()
                .Where(p => p.TryGetProperty("name", out _) && p.TryGetProperty("in", out _))
                .Select(p => (p.GetProperty("name").GetString()!, p.GetProperty("in").GetString()!))]
            : [];
}
