using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.ServerSentEvents;
using System.Security.Cryptography;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Npgsql;
using Xunit.Abstractions;

namespace Cassiopeia.IntegrationTests.Hosting;

/// <summary>
/// The scale-out profile as separate real processes: two API nodes and one worker on one PostgreSQL
/// database, one Redis and one blob directory, sharing the token, link and storage keys. Every poll that
/// could hide a missing push is 30 s, so anything arriving within seconds arrived by Redis.
/// </summary>
public sealed class MultiNodeTests(ITestOutputHelper output)
{
    private const int PlanLimit = 8;
    // A third of every poll interval, with room for a machine busy with other tests.
    private static readonly TimeSpan Push = TimeSpan.FromSeconds(10);

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Upload_on_one_node_is_ingested_once_by_the_worker_its_events_reach_another_node_and_rate_limits_are_shared()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres");
        await using var embeddings = await FakeEmbeddingServer.StartAsync();
        var blobs = Directory.CreateTempSubdirectory("cassiopeia-multinode-blobs-").FullName;
        var directories = new List<string> { blobs };
        var environment = new Dictionary<string, string>
        {
            ["Database__Provider"] = "Postgres",
            ["Database__ConnectionString"] = database.ConnectionString!,
            ["Redis__ConnectionString"] = TestRedis.Endpoint,
            ["Redis__KeyPrefix"] = TestRedis.NewPrefix(),
            ["Auth__SigningKey"] = NewKey(),
            ["Storage__UrlSigningKey"] = NewKey(),
            ["Storage__MasterKey"] = NewKey(),
            ["Storage__Directory"] = blobs,
            ["Embeddings__Provider"] = "openai",
            ["Embeddings__Endpoint"] = embeddings.Endpoint,
            ["Embeddings__ApiKey"] = "multi-node-test-key",
            ["Embeddings__Model"] = "fake-embed",
            ["Embeddings__Dimensions"] = FakeEmbeddingServer.Dimensions.ToString(CultureInfo.InvariantCulture),
            ["Billing__Plans__free__RequestsPerMinute"] = PlanLimit.ToString(CultureInfo.InvariantCulture),
            ["Ingestion__PollInterval"] = "00:00:30",
            ["Ingestion__StatusPollInterval"] = "00:00:30",
            ["Ingestion__StatusSafetyPollInterval"] = "00:00:30",
        };

        Task<ServiceProcess> StartAsync(string role)
        {
            var data = Directory.CreateTempSubdirectory($"cassiopeia-multinode-{role}-").FullName;
            directories.Add(data);
            return ServiceProcess.StartAsync(data, environment, "--role", role);
        }

        try
        {
            // A first, alone: it applies the migrations the others find done.
            await using var a = await StartAsync("api");
            var others = new[] { StartAsync("api"), StartAsync("worker") };
            await Task.WhenAll(others.Select(t => t.ContinueWith(static _ => { }, TaskScheduler.Default)));
            await using var b = await others[0];
            await using var worker = await others[1];

            var token = await ServiceCalls.SignUpAsync(a.Client);
            embeddings.Hold();
            var text = string.Join(' ', Enumerable.Repeat("Nodes share their events through Redis and their work through the queue.", 120));
            var id = await ServiceCalls.UploadAsync(a.Client, token, text);
            var uploaded = Stopwatch.StartNew();

            // The idle worker polls every 30 s: taking the job up at once means the enqueue on A woke it.
            await Task.WhenAny(embeddings.CallHeld.Task, Task.Delay(Push));
            Assert.True(embeddings.CallHeld.Task.IsCompleted, $"the worker did not start the job within {Push}");
            output.WriteLine($"worker started the job {uploaded.ElapsedMilliseconds} ms after the upload on node A");

            using var stream = new HttpClient { BaseAddress = b.Client.BaseAddress, Timeout = Timeout.InfiniteTimeSpan };
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/documents/{id}/events");
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
            using var response = await stream.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            var events = SseParser.Create(await response.Content.ReadAsStreamAsync(timeout.Token)).EnumerateAsync(timeout.Token).GetAsyncEnumerator(timeout.Token);
            Assert.True(await events.MoveNextAsync());
            Assert.Equal("processing", Status(events.Current));

            // The worker finishes; B's stream, which would re-read only in 30 s, hears of it through Redis.
            var released = Stopwatch.StartNew();
            embeddings.Release();
            var statuses = new List<string>();
            JsonElement last = default;
            while (await events.MoveNextAsync())
            {
                Assert.Equal("status", events.Current.EventType);
                last = JsonDocument.Parse(events.Current.Data).RootElement.Clone();
                statuses.Add(last.GetProperty("status").GetString()!);
            }

            Assert.Equal("ready", statuses[^1]);
            Assert.True(released.Elapsed < Push, $"ready reached node B {released.Elapsed} after the worker was released");
            output.WriteLine($"ready reached the stream on node B {released.ElapsedMilliseconds} ms after the worker was released");

            // Exactly once: one claim, one done job, every chunk once, and the work done by the worker only.
            var chunkCount = last.GetProperty("chunkCount").GetInt32();
            Assert.True(chunkCount >= 2);
            Assert.Equal(("done", 1), await JobAsync(database.ConnectionString!, id));
            Assert.Equal(Enumerable.Range(0, chunkCount), await OrdinalsAsync(database.ConnectionString!, id));
            Assert.Contains($"Document {id} is ready", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain($"Document {id} is ready", a.Output + b.Output, StringComparison.Ordinal);

            // One budget for a caller, whichever node answers.
            var caller = await ServiceCalls.SignUpAsync(b.Client);
            for (var i = 0; i < PlanLimit; i++)
            {
                var node = i % 2 == 0 ? a : b;
                Assert.Equal(HttpStatusCode.OK, (await MeAsync(node.Client, caller)).StatusCode);
            }

            Assert.Equal(HttpStatusCode.TooManyRequests, (await MeAsync(a.Client, caller)).StatusCode);
            Assert.Equal(HttpStatusCode.TooManyRequests, (await MeAsync(b.Client, caller)).StatusCode);
        }
        finally
        {
            NpgsqlConnection.ClearAllPools();
            foreach (var directory in directories)
            {
                Directory.Delete(directory, recursive: true);
            }
        }
    }

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string Status(SseItem<string> item) => JsonDocument.Parse(item.Data).RootElement.GetProperty("status").GetString()!;

    private static async Task<HttpResponseMessage> MeAsync(HttpClient client, string token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/v1/me");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return await client.SendAsync(request);
    }

    private static async Task<(string State, int Attempts)> JobAsync(string connectionString, string id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "State", "Attempts" FROM ingestion_jobs WHERE "DocumentId" = @id""", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        var job = (reader.GetString(0), reader.GetInt32(1));
        Assert.False(await reader.ReadAsync());
        return job;
    }

    private static async Task<List<int>> OrdinalsAsync(string connectionString, string id)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("""SELECT "Ordinal" FROM chunks WHERE "DocumentId" = @id ORDER BY "Ordinal" """, connection);
        command.Parameters.AddWithValue("id", id);
        var ordinals = new List<int>();
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            ordinals.Add(reader.GetInt32(0));
        }

        return ordinals;
    }
}
