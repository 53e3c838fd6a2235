using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.ServerSentEvents;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Redis;

/// <summary>
/// Two API nodes and a worker on one database and a Redis of the test's own, which goes down and comes
/// back: while it is down the nodes serve, count rate limits per process and follow ingestion by polling;
/// once it is back they share counts and push events again, and readiness returns to Healthy.
/// </summary>
public sealed class RedisOutageTests
{
    private const int PlanLimit = 5;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Nodes_keep_serving_while_redis_is_down_and_share_again_once_it_is_back()
    {
        await using var redis = await RedisServerProcess.StartAsync();
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        var settings = new Dictionary<string, string?>
        {
            ["Redis:ConnectionString"] = redis.Endpoint,
            ["Redis:KeyPrefix"] = TestRedis.NewPrefix(),
            ["Billing:Plans:free:RequestsPerMinute"] = PlanLimit.ToString(System.Globalization.CultureInfo.InvariantCulture),

            // Longer than the patience: a stream that sees ready in time was pushed or polled briefly.
            ["Ingestion:StatusSafetyPollInterval"] = "00:00:30",
            ["Ingestion:StatusPollInterval"] = "00:00:00.300",
        };
        await using var a = new ApiFactory(database, settings);
        await using var b = new ApiFactory(database, settings);
        await using var worker = new ApiFactory(database, new Dictionary<string, string?>(settings) { ["Cassiopeia:Role"] = "worker", ["Ingestion:PollInterval"] = "00:00:00.200" });
        using var clientA = a.CreateClient();
        using var clientB = b.CreateClient();
        worker.CreateClient().Dispose();
        Assert.Equal("Healthy", await ReadinessAsync(clientA));

        redis.Stop();
        Assert.Equal("Degraded", await WaitForReadinessAsync(clientA, "Degraded"));

        // Down: the upload is ingested by the worker and node A's stream follows it by polling.
        var owner = await Session.SignUpAsync(clientA);
        var id = await UploadAsync(clientA, owner, "Written while the cache was away.");
        Assert.Equal("ready", (await FollowAsync(clientA, owner, id))[^1]);

        // Down: each node counts on its own, so one caller gets the plan's rate from each.
        var caller = await Session.SignUpAsync(clientB);
        await SpendAsync(clientA, caller, PlanLimit);
        Assert.Equal(HttpStatusCode.OK, (await clientB.SendAsync(caller.Request(HttpMethod.Get, "/v1/me"))).StatusCode);

        await redis.RestartAsync();
        Assert.Equal("Healthy", await WaitForReadinessAsync(clientA, "Healthy"));
        Assert.Equal("Healthy", await WaitForReadinessAsync(clientB, "Healthy"));

        // Back: one count across the nodes again.
        var another = await Session.SignUpAsync(clientA);
        await SpendAsync(clientA, another, 3);
        await SpendAsync(clientB, another, PlanLimit - 3);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await clientA.SendAsync(another.Request(HttpMethod.Get, "/v1/me"))).StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, (await clientB.SendAsync(another.Request(HttpMethod.Get, "/v1/me"))).StatusCode);

        // Back: node B's stream, which would re-read only after 30 s, hears of the worker's progress.
        var pushed = await UploadAsync(clientB, owner, "Written once the cache had returned.");
        Assert.Equal("ready", (await FollowAsync(clientB, owner, pushed))[^1]);
    }

    private static async Task SpendAsync(HttpClient client, Session session, int requests)
    {
        for (var i = 0; i < requests; i++)
        {
            Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(session.Request(HttpMethod.Get, "/v1/me"))).StatusCode);
        }
    }

    private static async Task<string> ReadinessAsync(HttpClient client) =>
        (await (await client.GetAsync("/health/ready")).Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("redis").GetString()!;

    private static async Task<string> WaitForReadinessAsync(HttpClient client, string expected)
    {
        var waited = Stopwatch.StartNew();
        string status;
        while ((status = await ReadinessAsync(client)) != expected && waited.Elapsed < Patience)
        {
            await Task.Delay(200);
        }

        return status;
    }

    private static async Task<string> UploadAsync(HttpClient client, Session session, string text)
    {
        using var request = session.Request(HttpMethod.Post, "/v1/documents");
        var file = new ByteArrayContent(System.Text.Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Content = new MultipartFormDataContent { { new StringContent("cv"), "kind" }, { file, "file", "outage.txt" } };
        var response = await client.SendAsync(request);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
    }

    private static async Task<List<string>> FollowAsync(HttpClient client, Session session, string id)
    {
        using var timeout = new CancellationTokenSource(Patience);
        using var request = session.Request(HttpMethod.Get, $"/v1/documents/{id}/events");
        using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var statuses = new List<string>();
        await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
        await foreach (var item in SseParser.Create(stream).EnumerateAsync(timeout.Token))
        {
            statuses.Add(JsonDocument.Parse(item.Data).RootElement.GetProperty("status").GetString()!);
        }

        return statuses;
    }
}
