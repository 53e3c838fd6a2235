using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Http;

/// <summary>Malformed and oversized bodies, sent to every endpoint that takes a body, as an owner would send them.</summary>
public abstract class EveryEndpointTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    public static TheoryData<string, string> BodyEndpoints() => new()
    {
        { "POST", "/v1/auth/signup" },
        { "POST", "/v1/auth/login" },
        { "POST", "/v1/auth/refresh" },
        { "POST", "/v1/auth/logout" },
        { "POST", "/v1/api-keys" },
        { "POST", "/v1/organizations/{org}/members" },
        { "PATCH", "/v1/organizations/{org}/members/{user}" },
        { "POST", "/v1/documents/upload-url" },
        { "POST", "/v1/search" },
        { "POST", "/v1/ask" },
        { "POST", "/v1/matches" },
        { "POST", "/v1/prompts" },
        { "POST", "/v1/feedback" },
        { "POST", "/v1/billing/checkout" },
    };

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task Malformed_json_is_a_400_problem(string method, string path)
    {
        var owner = await SignUpAsync();
        foreach (var body in new[] { "{", "[1,2", "{\"email\": {\"$gt\": \"\"}, \"password\": 7, \"refreshToken\": [1], \"name\": 7, \"role\": 7}", "\"just a string\"", new string('[', 200) })
        {
            var response = await SendRawAsync(owner, method, path, Encoding.UTF8.GetBytes(body));
            await AssertProblem(response, HttpStatusCode.BadRequest);
        }
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task Oversized_body_is_a_413_problem(string method, string path)
    {
        var owner = await SignUpAsync();
        var body = Encoding.UTF8.GetBytes("{\"name\":\"" + new string('a', 1_100_000) + "\"}");
        await AssertProblem(await SendRawAsync(owner, method, path, body), HttpStatusCode.RequestEntityTooLarge);
    }

    [Theory]
    [MemberData(nameof(BodyEndpoints))]
    public async Task Wrong_content_type_is_a_415_problem(string method, string path)
    {
        var owner = await SignUpAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), Resolve(path, owner))
        {
            Content = new StringContent("<xml/>", Encoding.UTF8, "application/xml"),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner.AccessToken);
        await AssertProblem(await Client.SendAsync(request), HttpStatusCode.UnsupportedMediaType);
    }

    private async Task<HttpResponseMessage> SendRawAsync(Session owner, string method, string path, byte[] body)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), Resolve(path, owner)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", owner.AccessToken);
        return await Client.SendAsync(request);
    }

    private static string Resolve(string path, Session owner) =>
        path.Replace("{org}", owner.OrganizationId, StringComparison.Ordinal).Replace("{user}", owner.UserId, StringComparison.Ordinal);
}

public sealed class SqliteEveryEndpointTests(SqliteFixture fixture) : EveryEndpointTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresEveryEndpointTests(PostgresFixture fixture) : EveryEndpointTests(fixture), IClassFixture<PostgresFixture>;
