using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Hosting;

/// <summary>The few API calls the process tests make against a <see cref="ServiceProcess"/>'s client.</summary>
internal static class ServiceCalls
{
    /// <summary>Signs a new user up and returns the access token.</summary>
    public static async Task<string> SignUpAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/v1/auth/signup", new { email = $"process-{Guid.NewGuid():N}@example.test", password = Session.Password1, name = "Process Test" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("accessToken").GetString()!;
    }

    /// <summary>Uploads <paramref name="text"/> as a plain-text document (202 expected) and returns its id.</summary>
    public static async Task<string> UploadAsync(HttpClient client, string token, string text, string kind = "cv")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/documents");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Content = new MultipartFormDataContent { { new StringContent(kind), "kind" }, { file, "file", "process-test.txt" } };
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    /// <summary>Polls the document until it is ready (failing on <c>failed</c> or after 60 s) and returns it.</summary>
    public static async Task<JsonElement> WaitForReadyAsync(HttpClient client, string token, string id)
    {
        var deadline = DateTime.UtcNow.AddSeconds(60);
        while (true)
        {
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/documents/{id}");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var document = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
            var status = document.GetProperty("status").GetString();
            if (status == "ready")
            {
                return document;
            }

            Assert.NotEqual("failed", status);
            Assert.True(DateTime.UtcNow < deadline, $"{id} still {status} after 60 s");
            await Task.Delay(200);
        }
    }
}
