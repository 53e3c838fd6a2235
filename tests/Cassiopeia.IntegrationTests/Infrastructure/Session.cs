using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>A signed-up user as the tests see one: tokens and ids from the real signup response.</summary>
public sealed record Session(string Email, string Password, string UserId, string OrganizationId, string AccessToken, string RefreshToken)
{
    public const string Password1 = "Quiet-Harbour-7391";

    public static async Task<Session> SignUpAsync(HttpClient client, string? email = null, string? organizationName = null)
    {
        email ??= $"user-{Guid.NewGuid():N}@example.test";
        var response = await client.PostAsJsonAsync("/v1/auth/signup", new { email, password = Password1, name = "Test User", organizationName });
        Assert.Equal(System.Net.HttpStatusCode.Created, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return new Session(
            email,
            Password1,
            body.GetProperty("user").GetProperty("id").GetString()!,
            body.GetProperty("organization").GetProperty("id").GetString()!,
            body.GetProperty("accessToken").GetString()!,
            body.GetProperty("refreshToken").GetString()!);
    }

    public HttpRequestMessage Request(HttpMethod method, string path, object? json = null, string? organizationId = null)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        if (organizationId is not null)
        {
            request.Headers.Add("X-Organization-Id", organizationId);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return request;
    }
}
