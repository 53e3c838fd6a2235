using System.Diagnostics;
using System.Globalization;
using System.Net.Sockets;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// A Redis server of a test's own (Debian's redis-server, which scripts/test.sh installs), on a fixed
/// loopback port so it can be stopped and started again where the nodes expect it: an outage and a recovery.
/// </summary>
public sealed class RedisServerProcess : IAsyncDisposable
{
    private readonly int _port = Hosting.ServiceProcess.FreePort();
    private Process? _process;

    /// <summary>Connection string the nodes use; a short connect timeout keeps reconnect attempts brisk.</summary>
    public string Endpoint => $"127.0.0.1:{_port.ToString(CultureInfo.InvariantCulture)},connectTimeout=500";

    public static async Task<RedisServerProcess> StartAsync()
    {
        var server = new RedisServerProcess();
        await server.RestartAsync();
        return server;
    }

    public async Task RestartAsync()
    {
        Stop();
        var start = new ProcessStartInfo("redis-server", ["--bind", "127.0.0.1", "--port", _port.ToString(CultureInfo.InvariantCulture), "--save", "", "--appendonly", "no"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        _process = Process.Start(start)!;
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginOutputReadLine();
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync("127.0.0.1", _port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline && !_process.HasExited)
            {
                await Task.Delay(50);
            }
        }
    }

    /// <summary>SIGKILL: connections drop as in a crash.</summary>
    public void Stop()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill();
            _process.WaitForExit(10_000);
        }

        _process?.Dispose();
        _process = null;
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }
}
