using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>Base of every HTTP test class; subclasses bind it to SQLite or PostgreSQL.</summary>
public abstract class IntegrationTest(ApiFixture fixture)
{
    protected ApiFixture Fixture => fixture;

    protected ApiFactory Factory => fixture.Factory;

    protected HttpClient Client { get; } = fixture.Factory.CreateClient(new() { AllowAutoRedirect = false });

    /// <summary>Outside the application: presigned URLs of the S3 store point at the bucket, not at the API.</summary>
    private static readonly HttpClient Outside = new();

    protected Task<Session> SignUpAsync(string? email = null, string? organizationName = null) => Session.SignUpAsync(Client, email, organizationName);

    protected Task<HttpResponseMessage> SendAsync(Session session, HttpMethod method, string path, object? json = null, string? organizationId = null) =>
        Client.SendAsync(session.Request(method, path, json, organizationId));

    protected async Task<HttpResponseMessage> SendWithKeyAsync(string key, HttpMethod method, string path, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return await Client.SendAsync(request);
    }

    protected async Task<string> CreateApiKeyAsync(Session session, params string[] scopes)
    {
        var response = await SendAsync(session, HttpMethod.Post, "/v1/api-keys", new { name = "test key", scopes = scopes.Length == 0 ? null : scopes });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await Json(response)).GetProperty("key").GetString()!;
    }

    protected async Task AddMemberAsync(Session admin, Session user, string role)
    {
        var response = await SendAsync(admin, HttpMethod.Post, $"/v1/organizations/{admin.OrganizationId}/members", new { email = user.Email, role });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    /// <summary>Follows a redirect or upload URL wherever it points: the API's own signed URLs, or the bucket's presigned ones.</summary>
    protected Task<HttpResponseMessage> FollowAsync(Uri? location, HttpMethod? method = null, HttpContent? content = null, RangeHeaderValue? range = null)
    {
        ArgumentNullException.ThrowIfNull(location);
        var request = new HttpRequestMessage(method ?? HttpMethod.Get, location) { Content = content };
        request.Headers.Range = range;
        return IsOutside(location) ? Outside.SendAsync(request) : Client.SendAsync(request);
    }

    protected Task<HttpResponseMessage> FollowAsync(string location, HttpMethod? method = null, HttpContent? content = null) =>
        FollowAsync(new Uri(location, UriKind.RelativeOrAbsolute), method, content);

    protected static bool IsOutside(Uri location) => location.IsAbsoluteUri && location.Host != "localhost";

    /// <summary>A link that must no longer work: 404, a problem when it is the API's own URL (a bucket answers in its own format).</summary>
    protected async Task AssertGoneAsync(Uri? location)
    {
        var response = await FollowAsync(location);
        if (IsOutside(location!))
        {
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        else
        {
            await AssertProblem(response, HttpStatusCode.NotFound);
        }
    }

    protected static async Task<JsonElement> Json(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    /// <summary>Asserts an RFC 9457 problem response with the status and, when given, a type ending.</summary>
    protected static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string? typeEnding = null)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await Json(response);
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("traceId").GetString()));
        var type = problem.GetProperty("type").GetString()!;
        if (typeEnding is not null)
        {
            Assert.EndsWith("/" + typeEnding, type, StringComparison.Ordinal);
        }

        var raw = problem.GetRawText();
        Assert.DoesNotContain("   at ", raw, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", raw, StringComparison.Ordinal);
        return problem;
    }
}
