using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Ingestion;

/// <summary>The application with in-process ingestion workers and the built-in lexical embedder.</summary>
public abstract class IngestionFixture(string provider) : ApiFixture(provider)
{
    protected override Task<IReadOnlyDictionary<string, string?>> SettingsAsync() => Task.FromResult<IReadOnlyDictionary<string, string?>>(new Dictionary<string, string?>
    {
        ["Cassiopeia:Role"] = "all",
        ["Ingestion:Workers"] = "3",
        ["Ingestion:PollInterval"] = "00:00:00.200",
        ["Ingestion:RetryBaseDelay"] = "00:00:00.050",
        ["Ingestion:RetryMaxDelay"] = "00:00:00.200",
    });
}

public sealed class SqliteIngestionFixture() : IngestionFixture("Sqlite");

public sealed class PostgresIngestionFixture() : IngestionFixture("Postgres");

/// <summary>The scale-out search profile: PostgreSQL for the data, vectors in pgvector (PGlite in the tests).</summary>
public sealed class PostgresPgvectorIngestionFixture() : IngestionFixture("Postgres")
{
    public string Schema { get; } = TestPgvector.NewSchema();

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        var settings = new Dictionary<string, string?>(await base.SettingsAsync());
        foreach (var (key, value) in TestPgvector.Settings(Schema))
        {
            settings[key] = value;
        }

        return settings;
    }
}

/// <summary>The application embedding through an OpenAI-compatible provider: a real fake server on loopback.</summary>
public abstract class EmbeddingProviderFixture(string provider) : ApiFixture(provider)
{
    public const int MaxAttempts = 3;

    public FakeEmbeddingServer Server { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Server.DisposeAsync();
    }

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        Server = await FakeEmbeddingServer.StartAsync();
        return new Dictionary<string, string?>
        {
            ["Cassiopeia:Role"] = "all",
            ["Embeddings:Provider"] = "openai",
            ["Embeddings:Endpoint"] = Server.Endpoint,
            ["Embeddings:ApiKey"] = "test-provider-key",
            ["Embeddings:Model"] = "fake-embed",

            // The client's own retries are off so the job-level retries are what the tests see.
            ["Embeddings:MaxRetries"] = "0",
            ["Embeddings:Dimensions"] = FakeEmbeddingServer.Dimensions.ToString(CultureInfo.InvariantCulture),
            ["Ingestion:Workers"] = "2",
            ["Ingestion:MaxAttempts"] = MaxAttempts.ToString(CultureInfo.InvariantCulture),
            ["Ingestion:PollInterval"] = "00:00:00.100",
            ["Ingestion:RetryBaseDelay"] = "00:00:00.050",
            ["Ingestion:RetryMaxDelay"] = "00:00:00.100",
        };
    }
}

public sealed class SqliteEmbeddingProviderFixture() : EmbeddingProviderFixture("Sqlite");

public sealed class PostgresEmbeddingProviderFixture() : EmbeddingProviderFixture("Postgres");

/// <summary>Uploading and following documents through ingestion.</summary>
public abstract class IngestionTest(ApiFixture fixture) : IntegrationTest(fixture)
{
    protected static readonly TimeSpan Patience = TimeSpan.FromSeconds(60);

    protected async Task<string> UploadAsync(Session session, byte[] bytes, string fileName, string kind = "cv")
    {
        var response = await SendUploadAsync(session, bytes, fileName, kind);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await Json(response)).GetProperty("id").GetString()!;
    }

    protected async Task<HttpResponseMessage> SendUploadAsync(Session session, byte[] bytes, string fileName, string kind = "cv")
    {
        using var request = session.Request(HttpMethod.Post, "/v1/documents");
        var form = new MultipartFormDataContent { { new StringContent(kind), "kind" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        request.Content = form;
        return await Client.SendAsync(request);
    }

    /// <summary>Follows the document's event stream to its end; returns the statuses seen and the last document.</summary>
    protected async Task<(List<string> Statuses, JsonElement Document)> FollowAsync(Session session, string id)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var request = session.Request(HttpMethod.Get, $"/v1/documents/{id}/events");
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var statuses = new List<string>();
        JsonElement last = default;
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            last = JsonDocument.Parse(item.Data).RootElement.Clone();
            statuses.Add(last.GetProperty("status").GetString()!);
        }

        return (statuses, last);
    }

    protected async Task<JsonElement> WaitForAsync(Session session, string id, string status)
    {
        var (statuses, document) = await FollowAsync(session, id);
        Assert.True(statuses[^1] == status, $"expected {status}, saw {string.Join(" → ", statuses)}; error: {document.GetProperty("error")}");
        return document;
    }

    protected async Task<List<JsonElement>> ChunksAsync(Session session, string id)
    {
        var all = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var response = await SendAsync(session, HttpMethod.Get, $"/v1/documents/{id}/chunks?limit=2" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}"));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var page = await Json(response);
            all.AddRange(page.GetProperty("items").EnumerateArray().Select(e => e.Clone()));
            cursor = page.GetProperty("nextCursor").ValueKind == JsonValueKind.String ? page.GetProperty("nextCursor").GetString() : null;
        }
        while (cursor is not null);
        return all;
    }
}
