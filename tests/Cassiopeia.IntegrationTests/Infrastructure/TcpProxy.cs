using System.Net;
using System.Net.Sockets;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// A loopback TCP proxy in front of a real server, to cut the server off as a network fault or a
/// stopped server would: <see cref="Stop"/> resets every open connection and refuses new ones until
/// <see cref="Start"/> listens again on the same port.
/// </summary>
public sealed class TcpProxy : IAsyncDisposable
{
    private readonly IPEndPoint _upstream;
    private readonly Lock _lock = new();
    private readonly List<Socket> _open = [];
    private TcpListener? _listener;
    private CancellationTokenSource? _stop;

    public TcpProxy(IPEndPoint upstream)
    {
        _upstream = upstream;
        Port = ((IPEndPoint)Listen().LocalEndpoint).Port;
    }

    public int Port { get; private set; }

    public void Start()
    {
        lock (_lock)
        {
            if (_listener is null)
            {
                Listen();
            }
        }
    }

    /// <summary>Closes the listening socket and resets (RST, not FIN) the connections it carries.</summary>
    public void Stop()
    {
        lock (_lock)
        {
            _stop?.Cancel();
            _listener?.Stop();
            _listener = null;
            foreach (var socket in _open)
            {
                try
                {
                    socket.LingerState = new LingerOption(true, 0);
                }
                catch (ObjectDisposedException)
                {
                }

                socket.Dispose();
            }

            _open.Clear();
        }
    }

    public ValueTask DisposeAsync()
    {
        Stop();
        return ValueTask.CompletedTask;
    }

    private TcpListener Listen()
    {
        var listener = new TcpListener(IPAddress.Loopback, Port);
        listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        listener.Start();
        _listener = listener;
        _stop = new CancellationTokenSource();
        _ = AcceptAsync(listener, _stop.Token);
        return listener;
    }

    private async Task AcceptAsync(TcpListener listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptSocketAsync(ct);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            _ = PipeAsync(client, ct);
        }
    }

    private async Task PipeAsync(Socket client, CancellationToken ct)
    {
        var server = new Socket(SocketType.Stream, ProtocolType.Tcp);
        lock (_lock)
        {
            _open.Add(client);
            _open.Add(server);
        }

        try
        {
            await server.ConnectAsync(_upstream, ct);
            await using var fromClient = new NetworkStream(client, ownsSocket: false);
            await using var toServer = new NetworkStream(server, ownsSocket: false);
            await Task.WhenAny(fromClient.CopyToAsync(toServer, ct), toServer.CopyToAsync(fromClient, ct));
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or IOException or ObjectDisposedException)
        {
            // Cut by Stop, or one side closed: either way the other side goes too.
        }
        finally
        {
            lock (_lock)
            {
                _open.Remove(client);
                _open.Remove(server);
            }

            client.Dispose();
            server.Dispose();
        }
    }
}
