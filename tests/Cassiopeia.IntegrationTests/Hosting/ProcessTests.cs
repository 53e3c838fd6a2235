using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Cassiopeia.IntegrationTests.Hosting;

/// <summary>The service as an operator starts it: a real process on a real port, zero configuration.</summary>
public sealed class ProcessTests
{
    [Fact]
    [System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
    public async Task Starts_with_zero_configuration_honours_the_settings_and_stops_gracefully_on_sigterm()
    {
        var port = ServiceProcess.FreePort();
        var data = Directory.CreateTempSubdirectory("cassiopeia-process-").FullName;
        var start = new ProcessStartInfo("dotnet", [Path.Combine(AppContext.BaseDirectory, "Cassiopeia.Api.dll")])
        {
            WorkingDirectory = Directory.CreateTempSubdirectory("cassiopeia-cwd-").FullName,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        start.Environment["ASPNETCORE_URLS"] = $"http://127.0.0.1:{port}";
        start.Environment["Cassiopeia__DataDirectory"] = data;
        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync();
        try
        {
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(5) };
            Assert.True(await ServiceProcess.WaitUntilReadyAsync(client, process), "the service did not become ready within 60 s");

            Assert.True(File.Exists(Path.Combine(data, "cassiopeia.db")));
            var keys = Path.Combine(data, "keys", "jwt-signing-keys.json");
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keys));
            Assert.Equal(HttpStatusCode.Unauthorized, (await client.GetAsync("/v1/me")).StatusCode);

            using (Process.Start("kill", ["-TERM", process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)])) { }
            Assert.True(process.WaitForExit(30_000), "the service did not stop within 30 s of SIGTERM");
            Assert.Equal(0, process.ExitCode);
            Assert.Contains("Application is shutting down", await output, StringComparison.Ordinal);
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            Directory.Delete(data, recursive: true);
        }
    }
}
