using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Cassiopeia.IntegrationTests.Infrastructure;
using Npgsql;

namespace Cassiopeia.IntegrationTests.Http;

/// <summary>
/// Dependencies failing under a running service: PostgreSQL cut off by a proxy (connections reset,
/// new ones refused), and a disk that fills up while a file is written.
/// </summary>
public sealed class OutageTests
{
    [Fact]
    public async Task A_database_that_cannot_be_reached_answers_503_with_retry_after_and_recovers_without_restart()
    {
        await using var database = await TestDatabase.CreateAsync("Postgres");
        var real = new NpgsqlConnectionStringBuilder(database.ConnectionString);
        await using var proxy = new TcpProxy(new IPEndPoint(IPAddress.Loopback, real.Port));
        var proxied = new NpgsqlConnectionStringBuilder(database.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ToString();
        await using var factory = new ApiFactory(database, new Dictionary<string, string?> { ["Database:ConnectionString"] = proxied });
        using var client = factory.CreateClient();
        var owner = await Session.SignUpAsync(client);
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(owner.Request(HttpMethod.Get, "/v1/documents"))).StatusCode);

        var before = factory.Logs.Lines.Count;
        proxy.Stop();
        for (var i = 0; i < 3; i++)
        {
            var down = await client.SendAsync(owner.Request(HttpMethod.Get, "/v1/documents"));
            Assert.Equal(HttpStatusCode.ServiceUnavailable, down.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), down.Headers.RetryAfter?.Delta);
            var problem = await down.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("/problems/database-unavailable", problem.GetProperty("type").GetString());
            Assert.Equal("Service unavailable", problem.GetProperty("title").GetString());
            Assert.DoesNotContain("Npgsql", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        var upload = await UploadAsync(client, owner, Encoding.UTF8.GetBytes("Written while the database was away " + Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.ServiceUnavailable, upload.StatusCode);

        // One warning line per failed request, no stack traces, nothing reported as a bug.
        var lines = factory.Logs.Lines.Skip(before).ToList();
        Assert.Equal(4, lines.Count(l => l.Contains("Answered 503: DatabaseUnavailable", StringComparison.Ordinal)));
        Assert.False(lines.Any(l => l.StartsWith("Error", StringComparison.Ordinal) || l.StartsWith("Critical", StringComparison.Ordinal)), string.Join('\n', lines));
        Assert.DoesNotContain(lines, l => l.Contains("   at ", StringComparison.Ordinal));

        var readiness = await client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, readiness.StatusCode);
        Assert.Equal("Unhealthy", (await readiness.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("checks").GetProperty("database").GetString());

        proxy.Start();
        Assert.Equal(HttpStatusCode.OK, (await client.SendAsync(owner.Request(HttpMethod.Get, "/v1/documents"))).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await UploadAsync(client, owner, Encoding.UTF8.GetBytes("Written after it came back " + Guid.NewGuid()))).StatusCode);

        // The upload refused during the outage left no file behind; the one accepted after it did.
        Assert.Single(Directory.GetFiles(Path.Combine(database.DataDirectory, "blobs"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task A_disk_that_fills_up_during_an_upload_answers_507_and_leaves_no_partial_object()
    {
        await using var disk = await SmallDisk.MountAsync(megabytes: 2);
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        await using var factory = new ApiFactory(database, new Dictionary<string, string?> { ["Storage:Directory"] = disk.Path });
        using var client = factory.CreateClient();
        var owner = await Session.SignUpAsync(client);

        // Leave about 200 KB free, then send 600 KB: the write runs out of space part-way.
        var filler = Path.Combine(disk.Path, "filler");
        await File.WriteAllBytesAsync(filler, new byte[new DriveInfo(disk.Path).AvailableFreeSpace - (200 * 1024)]);
        var content = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("A disk fills up at the worst moment. ", 600 * 1024 / 37)));

        var full = await UploadAsync(client, owner, content);

        Assert.Equal(HttpStatusCode.InsufficientStorage, full.StatusCode);
        var problem = await full.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("/problems/insufficient-storage", problem.GetProperty("type").GetString());
        Assert.Equal("Insufficient storage", problem.GetProperty("title").GetString());
        Assert.Equal([filler], Directory.GetFiles(disk.Path, "*", SearchOption.AllDirectories));
        var list = await (await client.SendAsync(owner.Request(HttpMethod.Get, "/v1/documents"))).Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(0, list.GetProperty("items").GetArrayLength());

        File.Delete(filler);
        var retried = await UploadAsync(client, owner, content);
        Assert.Equal(HttpStatusCode.Accepted, retried.StatusCode);
        Assert.Single(Directory.GetFiles(disk.Path, "*", SearchOption.AllDirectories));
    }

    private static Task<HttpResponseMessage> UploadAsync(HttpClient client, Session owner, byte[] bytes)
    {
        var request = owner.Request(HttpMethod.Post, "/v1/documents");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        request.Content = new MultipartFormDataContent { { new StringContent("other"), "kind" }, { file, "file", "notes.txt" } };
        return client.SendAsync(request);
    }

    /// <summary>A real, small file system (tmpfs) that runs out of space: writes fail with ENOSPC as on a full disk.</summary>
    private sealed class SmallDisk : IAsyncDisposable
    {
        private SmallDisk(string path) => Path = path;

        public string Path { get; }

        public static async Task<SmallDisk> MountAsync(int megabytes)
        {
            var path = Directory.CreateTempSubdirectory("cassiopeia-full-").FullName;
            var (code, output) = await RunAsync("mount", "-t", "tmpfs", "-o", $"size={megabytes}m", "tmpfs", path);
            if (code != 0)
            {
                Directory.Delete(path);
                throw new InvalidOperationException($"Mounting a {megabytes} MB tmpfs failed ({output.Trim()}): this test needs root or CAP_SYS_ADMIN, as in the CI container.");
            }

            return new SmallDisk(path);
        }

        public async ValueTask DisposeAsync()
        {
            await RunAsync("umount", Path);
            Directory.Delete(Path, recursive: true);
        }

        private static async Task<(int Code, string Output)> RunAsync(string command, params string[] arguments)
        {
            using var process = Process.Start(new ProcessStartInfo(command, arguments) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            var output = await process.StandardError.ReadToEndAsync() + await process.StandardOutput.ReadToEndAsync();
            await process.WaitForExitAsync();
            return (process.ExitCode, output);
        }
    }
}
