using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Cassiopeia.IntegrationTests.Ingestion;

namespace Cassiopeia.IntegrationTests.Ask;

/// <summary>The application answering through an OpenAI-compatible provider: a real fake server on loopback.</summary>
public abstract class ChatProviderFixture(string provider) : ApiFixture(provider)
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);
    public const int MaxRetries = 2;
    public const int MaxAnswerTokens = 200;

    public FakeChatServer Server { get; private set; } = null!;

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        await Server.DisposeAsync();
    }

    protected virtual IReadOnlyDictionary<string, string?> ChatSettings => new Dictionary<string, string?>
    {
        ["Chat:MaxRetries"] = MaxRetries.ToString(CultureInfo.InvariantCulture),

        // Out of reach here, so failures in one test do not pause calls in the next; ChatBreakerFixture tests the breaker.
        ["Chat:BreakerMinimumThroughput"] = "1000",
    };

    protected override async Task<IReadOnlyDictionary<string, string?>> SettingsAsync()
    {
        Server = await FakeChatServer.StartAsync();
        var settings = new Dictionary<string, string?>
        {
            ["Cassiopeia:Role"] = "all",
            ["Ingestion:Workers"] = "2",
            ["Ingestion:PollInterval"] = "00:00:00.200",
            ["Chat:Endpoint"] = Server.Endpoint,
            ["Chat:Model"] = FakeChatServer.Model,
            ["Chat:ApiKey"] = "test-chat-key",
            ["Chat:Timeout"] = Timeout.ToString(),
            ["Chat:Deadline"] = "00:00:20",
            ["Chat:RetryBaseDelay"] = "00:00:00.050",
            ["Chat:MaxRetryAfter"] = "00:00:05",
            ["Chat:MaxAnswerTokens"] = MaxAnswerTokens.ToString(CultureInfo.InvariantCulture),
        };
        foreach (var (key, value) in ChatSettings)
        {
            settings[key] = value;
        }

        return settings;
    }
}

public sealed class SqliteChatProviderFixture() : ChatProviderFixture("Sqlite");

public sealed class PostgresChatProviderFixture() : ChatProviderFixture("Postgres");

/// <summary>A provider client without retries whose breaker opens after two failed calls.</summary>
public abstract class ChatBreakerFixture(string provider) : ChatProviderFixture(provider)
{
    protected override IReadOnlyDictionary<string, string?> ChatSettings => new Dictionary<string, string?>
    {
        ["Chat:MaxRetries"] = "0",
        ["Chat:BreakerMinimumThroughput"] = "2",
        ["Chat:BreakerFailureRatio"] = "0.5",
        ["Chat:BreakerBreakDuration"] = "00:00:30",
    };
}

public sealed class SqliteChatBreakerFixture() : ChatBreakerFixture("Sqlite");

public sealed class PostgresChatBreakerFixture() : ChatBreakerFixture("Postgres");

/// <summary>Asking questions, as JSON and as an event stream.</summary>
public abstract class AskTest(ApiFixture fixture) : IngestionTest(fixture)
{
    protected const string NoAnswer = "The documents do not contain an answer to this question.";

    protected async Task<(string Cv, string Jd)> TwoDocumentsAsync(Session owner)
    {
        var cv = await UploadAsync(owner, TestFiles.Pdf([
            "Dana Smith, research scientist in plant biology.",
            "Ten years of photosynthesis research on chloroplast membranes and light harvesting.",
            "Dana writes data pipelines in Python and R."]), "cv.pdf", "cv");
        var jd = await UploadAsync(owner, TestFiles.Utf8("# Platform engineer\n\nWe need a platform engineer who runs Kubernetes clusters and deployment pipelines."), "jd.md", "jd");
        await WaitForAsync(owner, cv, "ready");
        await WaitForAsync(owner, jd, "ready");
        return (cv, jd);
    }

    protected async Task<JsonElement> AskAsync(Session session, object body, string? organizationId = null)
    {
        var response = await SendAsync(session, HttpMethod.Post, "/v1/ask", body, organizationId);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await Json(response);
    }

    /// <summary>The events of an answer stream, as (event type, data) pairs in order.</summary>
    protected async Task<List<(string Type, JsonElement Data)>> AskStreamAsync(Session session, object body)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var request = session.Request(HttpMethod.Post, "/v1/ask", body);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
        using var response = await Client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/event-stream", response.Content.Headers.ContentType?.MediaType);
        var events = new List<(string, JsonElement)>();
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            events.Add((item.EventType, JsonDocument.Parse(item.Data).RootElement.Clone()));
        }

        return events;
    }

    protected static List<JsonElement> Citations(JsonElement answer) => answer.GetProperty("citations").EnumerateArray().Select(c => c.Clone()).ToList();

    /// <summary>Each citation names a chunk of the organization whose text holds the quote verbatim.</summary>
    protected async Task AssertQuotesAreVerbatimAsync(Session session, IEnumerable<JsonElement> citations)
    {
        foreach (var citation in citations)
        {
            var chunks = await ChunksAsync(session, citation.GetProperty("documentId").GetString()!);
            var chunk = chunks.Single(c => c.GetProperty("id").GetString() == citation.GetProperty("chunkId").GetString());
            var quote = citation.GetProperty("quote").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(quote));
            Assert.Contains(quote, chunk.GetProperty("text").GetString()!, StringComparison.Ordinal);
        }
    }
}
