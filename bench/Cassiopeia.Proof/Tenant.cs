using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Cassiopeia.Proof;

/// <summary>
/// One organization set up through the public API only, with real resources of every kind that has an
/// id route, so hostile requests hit real rows (a 404 for a made-up id proves little). Every text the
/// tenant stores carries <see cref="Marker"/>, so a leak of its data into another tenant's answer is a
/// plain substring search.
/// </summary>
public sealed class Tenant
{
    public const string Password = "Hostile-Proof-Passw0rd-7391";

    /// <summary>Every scope, so a refusal of tenant A's key is about tenancy, never a missing scope.</summary>
    private static readonly string[] AllScopes = ["documents:read", "documents:write", "ai", "billing", "admin"];

    private Tenant(string label, string marker)
    {
        Label = label;
        Marker = marker;
        Email = $"proof-{label}-{marker}@example.test";
    }

    public string Label { get; }

    /// <summary>A random token in every name, title and document body of this tenant.</summary>
    public string Marker { get; }

    public string Email { get; }

    public string UserId { get; private set; } = "";

    public string OrganizationId { get; private set; } = "";

    public string AccessToken { get; private set; } = "";

    public string RefreshToken { get; private set; } = "";

    public string ApiKey { get; private set; } = "";

    public string ApiKeyId { get; private set; } = "";

    public string CvDocumentId { get; private set; } = "";

    public string JdDocumentId { get; private set; } = "";

    public string? MatchId { get; private set; }

    public string? InterviewId { get; private set; }

    public string? QuestionId { get; private set; }

    /// <summary>The token of a direct-upload link (PUT /v1/uploads/{token}), for tampering.</summary>
    public string? UploadToken { get; private set; }

    /// <summary>The pending document of that direct upload.</summary>
    public string? PendingDocumentId { get; private set; }

    /// <summary>The token of a signed download link (GET /v1/files/{token}), for tampering.</summary>
    public string? FileToken { get; private set; }

    /// <summary>Tokens of the local billing provider's checkout and portal pages, when that provider is on.</summary>
    public string? CheckoutToken { get; private set; }

    public string? PortalToken { get; private set; }

    public static async Task<Tenant> CreateAsync(HttpClient client, string label, TimeSpan readyTimeout, CancellationToken ct)
    {
        var tenant = new Tenant(label, Guid.NewGuid().ToString("N")[..16]);
        await tenant.SetUpAsync(client, readyTimeout, ct);
        return tenant;
    }

    public HttpRequestMessage Request(HttpMethod method, string path, HttpContent? content = null)
    {
        var request = new HttpRequestMessage(method, path) { Content = content };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", AccessToken);
        return request;
    }

    private async Task SetUpAsync(HttpClient client, TimeSpan readyTimeout, CancellationToken ct)
    {
        var signup = await SendJsonAsync(client, null, HttpMethod.Post, "/v1/auth/signup",
            new { email = Email, password = Password, name = $"Proof {Label} {Marker}", organizationName = $"Org {Label} {Marker}" }, HttpStatusCode.Created, ct);
        UserId = signup.GetProperty("user").GetProperty("id").GetString()!;
        OrganizationId = signup.GetProperty("organization").GetProperty("id").GetString()!;
        AccessToken = signup.GetProperty("accessToken").GetString()!;
        RefreshToken = signup.GetProperty("refreshToken").GetString()!;

        var key = await SendJsonAsync(client, AccessToken, HttpMethod.Post, "/v1/api-keys", new { name = $"key {Marker}", scopes = AllScopes }, HttpStatusCode.Created, ct);
        ApiKey = key.GetProperty("key").GetString()!;
        ApiKeyId = key.GetProperty("id").GetString()!;

        CvDocumentId = await UploadAsync(client, "cv.md", "cv", CvText(), ct);
        JdDocumentId = await UploadAsync(client, "jd.md", "jd", JdText(), ct);
        await WaitSettledAsync(client, [CvDocumentId, JdDocumentId], readyTimeout, ct);

        using (var match = await client.SendAsync(Json(HttpMethod.Post, "/v1/matches", new { cvDocumentId = CvDocumentId, jdDocumentId = JdDocumentId }), ct))
        {
            if (match.StatusCode == HttpStatusCode.Created)
            {
                MatchId = (await match.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("id").GetString();
            }
        }

        using (var interview = await client.SendAsync(Json(HttpMethod.Post, "/v1/interviews", new { cvDocumentId = CvDocumentId, jdDocumentId = JdDocumentId, questionCount = 2 }), ct))
        {
            if (interview.StatusCode == HttpStatusCode.Created)
            {
                var body = await interview.Content.ReadFromJsonAsync<JsonElement>(ct);
                InterviewId = body.GetProperty("id").GetString();
                QuestionId = body.GetProperty("questions")[0].GetProperty("id").GetString();
            }
        }

        using (var upload = await client.SendAsync(Json(HttpMethod.Post, "/v1/documents/upload-url", new { fileName = $"pending-{Marker}.md", contentType = "text/markdown", size = 64, kind = "other" }), ct))
        {
            if (upload.StatusCode == HttpStatusCode.Created)
            {
                var body = await upload.Content.ReadFromJsonAsync<JsonElement>(ct);
                PendingDocumentId = body.GetProperty("documentId").GetString();
                UploadToken = LastSegment(body.GetProperty("uploadUrl").GetString());
            }
        }

        using (var content = await client.SendAsync(Request(HttpMethod.Get, $"/v1/documents/{CvDocumentId}/content"), ct))
        {
            FileToken = content.Headers.Location is { } location ? LastSegment(location.OriginalString) : null;
        }

        CheckoutToken = await BillingTokenAsync(client, "/v1/billing/checkout", new { planId = "pro" }, "checkoutUrl", ct);
        PortalToken = await BillingTokenAsync(client, "/v1/billing/portal", null, "url", ct);
    }

    private async Task<string?> BillingTokenAsync(HttpClient client, string path, object? body, string field, CancellationToken ct)
    {
        using var response = await client.SendAsync(body is null ? Request(HttpMethod.Post, path) : Json(HttpMethod.Post, path, body), ct);
        if (response.StatusCode != HttpStatusCode.Created)
        {
            return null;
        }

        var url = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty(field).GetString();
        return url is not null && url.Contains("/v1/billing/local/", StringComparison.Ordinal) ? LastSegment(url) : null;
    }

    private static string? LastSegment(string? url)
    {
        if (string.IsNullOrEmpty(url))
        {
            return null;
        }

        var path = url.Split('?', 2)[0].TrimEnd('/');
        return path[(path.LastIndexOf('/') + 1)..];
    }

    private HttpRequestMessage Json(HttpMethod method, string path, object body) => Request(method, path, JsonContent.Create(body));

    private async Task<string> UploadAsync(HttpClient client, string fileName, string kind, string text, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/markdown");
        form.Add(file, "file", fileName);
        form.Add(new StringContent(kind), "kind");
        form.Add(new StringContent($"{kind} of {Label} {Marker}"), "title");
        using var response = await client.SendAsync(Request(HttpMethod.Post, "/v1/documents", form), ct);
        var body = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.OK))
        {
            throw new InvalidOperationException($"setting up tenant {Label}: upload answered {(int)response.StatusCode}: {body}");
        }

        return JsonDocument.Parse(body).RootElement.GetProperty("id").GetString()!;
    }

    /// <summary>Waits until ingestion has settled, so the snapshot of the tenant's data does not move on its own.</summary>
    private async Task WaitSettledAsync(HttpClient client, string[] ids, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        foreach (var id in ids)
        {
            while (DateTime.UtcNow < deadline)
            {
                using var response = await client.SendAsync(Request(HttpMethod.Get, $"/v1/documents/{id}"), ct);
                var status = (await response.Content.ReadFromJsonAsync<JsonElement>(ct)).GetProperty("status").GetString();
                if (status is "ready" or "failed")
                {
                    break;
                }

                await Task.Delay(200, ct);
            }
        }
    }

    private static async Task<JsonElement> SendJsonAsync(HttpClient client, string? token, HttpMethod method, string path, object body, HttpStatusCode expected, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, path) { Content = JsonContent.Create(body) };
        if (token is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        using var response = await client.SendAsync(request, ct);
        var text = await response.Content.ReadAsStringAsync(ct);
        if (response.StatusCode != expected)
        {
            throw new InvalidOperationException($"setting up the proof tenants: {method} {path} answered {(int)response.StatusCode}: {text}");
        }

        return JsonDocument.Parse(text).RootElement.Clone();
    }

    private string CvText() => $"""
        # Curriculum vitae {Marker}

        Senior backend engineer with eight years of C# and .NET, PostgreSQL, Kubernetes and AWS.
        Led the migration of a payments platform to event sourcing; mentored four engineers.
        Skills: distributed systems, SQL tuning, observability, incident response. Marker {Marker}.
        """;

    private string JdText() => $"""
        # Job description {Marker}

        We look for a senior backend engineer: C# and .NET, PostgreSQL, cloud infrastructure on AWS,
        experience with distributed systems and on-call. Mentoring is a plus. Marker {Marker}.
        """;
}
