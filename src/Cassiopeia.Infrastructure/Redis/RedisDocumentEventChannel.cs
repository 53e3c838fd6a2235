using Cassiopeia.Core.Ingestion;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Cassiopeia.Infrastructure.Redis;

/// <summary>
/// Document events over Redis pub/sub, on one channel (<c>{KeyPrefix}document-events</c>): every node
/// publishes what it changes and wakes its own listeners for what the others publish. Subscribes when
/// the host starts (so no stream opened afterwards misses an event), and again after Redis comes back;
/// until then <see cref="ReachesEveryProcess"/> is false and listeners poll.
/// </summary>
public sealed partial class RedisDocumentEventChannel : IDocumentEventChannel, IHostedService, IDisposable
{
    private const char Separator = '\n';

    // Tells this node's own messages apart: it woke its listeners when it published.
    private readonly string _node = Guid.NewGuid().ToString("N");
    private readonly IConnectionMultiplexer _redis;
    private readonly RedisChannel _channel;
    private readonly ILogger<RedisDocumentEventChannel> _log;
    private readonly SemaphoreSlim _subscribing = new(1, 1);
    private volatile bool _subscribed;

    public RedisDocumentEventChannel(IConnectionMultiplexer redis, IOptions<RedisOptions> options, ILogger<RedisDocumentEventChannel> log)
    {
        _redis = redis;
        _log = log;
        _channel = RedisChannel.Literal(options.Value.KeyPrefix + "document-events");
        _redis.ConnectionFailed += OnConnectionFailed;
        _redis.ConnectionRestored += OnConnectionRestored;
    }

    public event Action<DocumentEvent>? Received;

    public event Action? Restored;

    public bool ReachesEveryProcess => _subscribed && _redis.IsConnected;

    public void Publish(DocumentEvent documentEvent)
    {
        if (!_redis.IsConnected)
        {
            return; // The others poll while Redis is down.
        }

        var kind = documentEvent.Kind == DocumentEventKind.JobEnqueued ? "j" : "s";
        try
        {
            _redis.GetSubscriber().Publish(_channel, string.Concat(_node, Separator.ToString(), kind, Separator.ToString(), documentEvent.DocumentId), CommandFlags.FireAndForget);
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            LogPublishFailed(_log, e);
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => SubscribeAsync();

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        _subscribed = false;
        return Task.CompletedTask;
    }

    public void Dispose()
    {
        _redis.ConnectionFailed -= OnConnectionFailed;
        _redis.ConnectionRestored -= OnConnectionRestored;
        _subscribing.Dispose();
    }

    private async Task SubscribeAsync()
    {
        await _subscribing.WaitAsync();
        try
        {
            // Unsubscribe first: a subscription that failed half-way must not leave a second handler behind.
            var subscriber = _redis.GetSubscriber();
            await subscriber.UnsubscribeAsync(_channel, OnMessage);
            await subscriber.SubscribeAsync(_channel, OnMessage);
            _subscribed = true;
            Restored?.Invoke();
        }
        catch (Exception e) when (e is RedisException or TimeoutException)
        {
            // Redis is down: listeners poll; ConnectionRestored subscribes again.
            LogSubscribeFailed(_log, e);
        }
        finally
        {
            _subscribing.Release();
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue message)
    {
        var text = (string?)message;
        var parts = text?.Split(Separator, 3);
        if (parts is not { Length: 3 } || string.Equals(parts[0], _node, StringComparison.Ordinal))
        {
            return;
        }

        Received?.Invoke(parts[1] == "j"
            ? new DocumentEvent(DocumentEventKind.JobEnqueued, null)
            : new DocumentEvent(DocumentEventKind.StatusChanged, parts[2]));
    }

    // Any lost connection may have carried the subscription (RESP3 shares one): subscribe again on any restore.
    private void OnConnectionFailed(object? sender, ConnectionFailedEventArgs e) => _subscribed = false;

    private void OnConnectionRestored(object? sender, ConnectionFailedEventArgs e) => _ = SubscribeAsync();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Subscribing to document events in Redis failed; status streams poll the database until Redis is back")]
    private static partial void LogSubscribeFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Publishing a document event to Redis failed; the other nodes see the change at their next poll")]
    private static partial void LogPublishFailed(ILogger logger, Exception exception);
}
