using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Cassiopeia.IntegrationTests.Hosting;

/// <summary>
/// The short version of the kill -9 drill (bench/run-faults.sh runs the long one): the embedded
/// service killed again and again while it ingests, every document still ends ready once.
/// </summary>
public sealed class RepeatedCrashTests
{
    private const int Kills = 4;
    private const int DocumentsPerRound = 8;

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Documents_ingested_across_repeated_kills_end_ready_once_with_no_duplicate_chunk_or_orphan_file()
    {
        await using var provider = await FakeEmbeddingServer.StartAsync();
        var data = Directory.CreateTempSubdirectory("cassiopeia-kills-").FullName;
        var environment = ApiFactory.GenerousLimits.ToDictionary(p => p.Key.Replace(":", "__", StringComparison.Ordinal), p => p.Value!, StringComparer.Ordinal);
        environment["Embeddings__Provider"] = "openai";
        environment["Embeddings__Endpoint"] = provider.Endpoint;
        environment["Embeddings__ApiKey"] = "kill-test-key";
        environment["Embeddings__Model"] = "fake-embed";
        environment["Embeddings__Dimensions"] = FakeEmbeddingServer.Dimensions.ToString(CultureInfo.InvariantCulture);
        environment["Embeddings__MaxRetries"] = "0";
        environment["Ingestion__LeaseDuration"] = "00:00:05";
        environment["Ingestion__PollInterval"] = "00:00:00.200";
        environment["Ingestion__Workers"] = "1";
        environment["Ingestion__BatchSize"] = "4";
        try
        {
            var ids = new List<string>();
            string token = "";
            for (var round = 0; round < Kills; round++)
            {
                // Even rounds die while a batch waits on the embedding provider; odd ones at a moment
                // left to chance, whatever step that is.
                var held = round % 2 == 0;
                if (held)
                {
                    provider.Hold();
                }

                await using var service = await ServiceProcess.StartAsync(data, environment);
                token = round == 0 ? await ServiceCalls.SignUpAsync(service.Client) : token;
                for (var i = 0; i < DocumentsPerRound; i++)
                {
                    ids.Add(await ServiceCalls.UploadAsync(service.Client, token, Text(round, i), kind: "other"));
                }

                if (held)
                {
                    await provider.CallHeld.Task.WaitAsync(TimeSpan.FromSeconds(60));
                }
                else
                {
                    await Task.Delay(Random.Shared.Next(100, 1500));
                }

                service.Crash();
                provider.Release();
            }

            await using var last = await ServiceProcess.StartAsync(data, environment);
            foreach (var id in ids)
            {
                var document = await ServiceCalls.WaitForReadyAsync(last.Client, token, id);
                Assert.Equal(await ScalarAsync(data, $"SELECT COUNT(*) FROM chunks WHERE DocumentId = '{id}'"), document.GetProperty("chunkCount").GetInt32());
            }

            Assert.Equal(Kills * DocumentsPerRound, await ScalarAsync(data, "SELECT COUNT(*) FROM documents WHERE Status = 'ready'"));
            Assert.Equal(0, await ScalarAsync(data, "SELECT COUNT(*) FROM documents WHERE Status <> 'ready'"));
            Assert.Equal(0, await ScalarAsync(data, "SELECT COUNT(*) FROM (SELECT DocumentId, Ordinal FROM chunks GROUP BY DocumentId, Ordinal HAVING COUNT(*) > 1)"));
            Assert.Equal(await ScalarAsync(data, "SELECT COUNT(*) FROM chunks"), await ScalarAsync(data, "SELECT COUNT(*) FROM chunks_fts"));
            Assert.Equal(Kills * DocumentsPerRound, await ScalarAsync(data, "SELECT COUNT(*) FROM ingestion_jobs WHERE State = 'done'"));
            // Every held round killed a claimed batch, so it added at least one claim: counted as claims
            // beyond the first (one job may be interrupted twice when its lease expires between rounds).
            Assert.True(await ScalarAsync(data, "SELECT COALESCE(SUM(Attempts - 1), 0) FROM ingestion_jobs") >= Kills / 2, "the kills interrupted fewer jobs than the held rounds");

            // One stored object per document (small ones are database rows), no temporary file of an interrupted write.
            var blobs = Path.Combine(data, "blobs");
            var files = Directory.Exists(blobs) ? Directory.GetFiles(blobs, "*", SearchOption.AllDirectories) : [];
            Assert.Equal(ids.Count, files.Length + await ScalarAsync(data, "SELECT COUNT(*) FROM blob_objects"));
            Assert.DoesNotContain(files, f => f.EndsWith(".tmp", StringComparison.Ordinal));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(data, recursive: true);
        }
    }

    private static string Text(int round, int index) =>
        $"Round {round} document {index}. " + string.Join(' ', Enumerable.Repeat($"Durable ingestion survives kill number {round} of its worker process while document {index} is processed.", 40));

    private static async Task<long> ScalarAsync(string data, string sql)
    {
        await using var connection = new SqliteConnection($"Data Source={Path.Combine(data, "cassiopeia.db")}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
