using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cassiopeia.IntegrationTests.Hosting;

/// <summary>Ingestion across real processes: a worker killed mid-job, and separate API and worker roles.</summary>
public sealed class CrashRecoveryTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_worker_killed_mid_job_is_replaced_and_the_document_becomes_ready_exactly_once()
    {
        await using var provider = await FakeEmbeddingServer.StartAsync();
        var data = Directory.CreateTempSubdirectory("cassiopeia-crash-").FullName;
        var environment = Settings(provider, ("Ingestion__LeaseDuration", "00:00:05"));
        try
        {
            string id;
            string token;
            provider.Hold();
            await using (var first = await ServiceProcess.StartAsync(data, environment))
            {
                token = await ServiceCalls.SignUpAsync(first.Client);
                var text = string.Join(' ', Enumerable.Repeat("Stateful systems must survive an abrupt end of their workers.", 150));
                id = await ServiceCalls.UploadAsync(first.Client, token, text);
                await provider.CallHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
                first.Crash();
            }

            provider.Release();
            Assert.Equal(("running", 1), await JobAsync(data, id));

            // The job is taken up by a worker-only process once the dead worker's lease expires,
            // while an API-only process (which runs no jobs) reports progress from the database.
            await using var worker = await ServiceProcess.StartAsync(data, environment, "--role", "worker");
            await using var api = await ServiceProcess.StartAsync(data, environment, "--role", "api");
            Assert.Equal(HttpStatusCode.NotFound, (await worker.Client.GetAsync("/v1/documents")).StatusCode);
            var document = await ServiceCalls.WaitForReadyAsync(api.Client, token, id);

            var chunks = await ChunksAsync(api.Client, token, id);
            Assert.Equal(document.GetProperty("chunkCount").GetInt32(), chunks.Count);
            Assert.True(chunks.Count >= 2);
            Assert.Equal(Enumerable.Range(0, chunks.Count), chunks.Select(c => c.GetProperty("ordinal").GetInt32()));
            Assert.Equal(("done", 2), await JobAsync(data, id));
            Assert.Equal(chunks.Count, await ScalarAsync(data, $"SELECT COUNT(*) FROM chunks WHERE DocumentId = '{id}'"));
            Assert.Equal(chunks.Count, await ScalarAsync(data, "SELECT COUNT(*) FROM chunks_fts"));
            Assert.Contains($"Document {id} is ready", worker.Output, StringComparison.Ordinal);
            Assert.DoesNotContain($"Document {id} is ready", api.Output, StringComparison.Ordinal);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_job_that_finishes_within_the_shutdown_grace_completes_and_the_process_exits_cleanly()
    {
        await using var provider = await FakeEmbeddingServer.StartAsync();
        var data = Directory.CreateTempSubdirectory("cassiopeia-drain-").FullName;
        var environment = Settings(provider, ("Ingestion__ShutdownGrace", "00:00:20"));
        try
        {
            provider.Hold();
            await using var service = await ServiceProcess.StartAsync(data, environment);
            var token = await ServiceCalls.SignUpAsync(service.Client);
            var id = await ServiceCalls.UploadAsync(service.Client, token, "Finished while the deployment drains the node.");
            await provider.CallHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));

            // The claim loop ends at once; the running batch finishes afterwards and gives its slot back
            // (this once failed the shutdown on a disposed semaphore).
            service.Terminate();
            await Task.Delay(500);
            provider.Release();

            Assert.Equal(0, await service.WaitForExitAsync(TimeSpan.FromSeconds(30)));
            Assert.DoesNotContain("Exception", service.Output, StringComparison.Ordinal);
            Assert.Equal(("done", 1), await JobAsync(data, id));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Shutdown_hands_a_running_job_back_and_the_next_start_finishes_it()
    {
        await using var provider = await FakeEmbeddingServer.StartAsync();
        var data = Directory.CreateTempSubdirectory("cassiopeia-shutdown-").FullName;
        var environment = Settings(provider, ("Ingestion__ShutdownGrace", "00:00:01"));
        try
        {
            string id;
            string token;
            provider.Hold();
            var first = await ServiceProcess.StartAsync(data, environment);
            await using (first)
            {
                token = await ServiceCalls.SignUpAsync(first.Client);
                id = await ServiceCalls.UploadAsync(first.Client, token, "Interrupted politely by a rolling deployment.");
                await provider.CallHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
            }

            // SIGTERM: the job had a second to finish, did not, and went back to the queue unharmed.
            Assert.Contains("unfinished jobs back to the queue", first.Output, StringComparison.Ordinal);
            Assert.Equal(("pending", 0), await JobAsync(data, id));
            provider.Release();

            await using var second = await ServiceProcess.StartAsync(data, environment);
            await ServiceCalls.WaitForReadyAsync(second.Client, token, id);
            Assert.Equal(("done", 1), await JobAsync(data, id));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<List<JsonElement>> ChunksAsync(HttpClient client, string token, string id)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, $"/v1/documents/{id}/chunks?limit=100");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var page = await (await client.SendAsync(request)).Content.ReadFromJsonAsync<JsonElement>();
        return page.GetProperty("items").EnumerateArray().Select(e => e.Clone()).ToList();
    }

    private static async Task<(string State, long Attempts)> JobAsync(string data, string id)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "cassiopeia.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT State, Attempts FROM ingestion_jobs WHERE DocumentId = $id";
        command.Parameters.AddWithValue("$id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        return (reader.GetString(0), reader.GetInt64(1));
    }

    private static async Task<long> ScalarAsync(string data, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "cassiopeia.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>The service's settings for these tests: embeddings from the fake server (no retries), a fast poll, and the test's own.</summary>
    private static Dictionary<string, string> Settings(FakeEmbeddingServer provider, params (string Key, string Value)[] own)
    {
        var settings = new Dictionary<string, string>
        {
            ["Embeddings__Provider"] = "openai",
            ["Embeddings__Endpoint"] = provider.Endpoint,
            ["Embeddings__ApiKey"] = "crash-test-key",
            ["Embeddings__Model"] = "fake-embed",
            ["Embeddings__Dimensions"] = FakeEmbeddingServer.Dimensions.ToString(CultureInfo.InvariantCulture),
            ["Embeddings__MaxRetries"] = "0",
            ["Ingestion__PollInterval"] = "00:00:00.200",
        };
        foreach (var (key, value) in own)
        {
            settings[key] = value;
        }

        return settings;
    }
}
