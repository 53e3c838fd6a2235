using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// Wakes listeners (status streams, idle workers) when a document's status changes or a job is
/// enqueued: those of this process at once, those of other processes through the
/// <see cref="IDocumentEventChannel"/>. A hint only: listeners also poll, often while the channel does
/// not reach every process (<see cref="StatusPollInterval"/>), rarely when it does.
/// </summary>
public sealed class DocumentEvents : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _enqueued = new(0, 1);
    private readonly IDocumentEventChannel _channel;
    private readonly IngestionOptions _options;

    public DocumentEvents(IDocumentEventChannel channel, IOptions<IngestionOptions> options)
    {
        _channel = channel;
        _options = options.Value;
        _channel.Received += OnReceived;
        _channel.Restored += WakeEveryone;
    }

    /// <summary>
    /// How long a status stream waits for an event before it re-reads the document anyway: the safety
    /// net when every change is pushed to this process, the short poll when changes can come unannounced.
    /// </summary>
    public TimeSpan StatusPollInterval => _channel.ReachesEveryProcess ? _options.StatusSafetyPollInterval : _options.StatusPollInterval;

    public void StatusChanged(string documentId)
    {
        WakeStatus(documentId);
        _channel.Publish(new DocumentEvent(DocumentEventKind.StatusChanged, documentId));
    }

    /// <summary>Waits until <paramref name="documentId"/> changes, <paramref name="timeout"/> passes or the token fires.</summary>
    public async Task WaitForChangeAsync(string documentId, TimeSpan timeout, CancellationToken ct)
    {
        var waiter = _waiters.GetOrAdd(documentId, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        await waiter.Task.WaitAsync(timeout, ct).ContinueWith(static _ => { }, CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        ct.ThrowIfCancellationRequested();
    }

    public void JobEnqueued()
    {
        WakeWorkers();
        _channel.Publish(new DocumentEvent(DocumentEventKind.JobEnqueued, null));
    }

    /// <summary>For workers: waits for an enqueue (in any process the channel reaches) or the poll interval.</summary>
    public Task<bool> WaitForJobAsync(TimeSpan timeout, CancellationToken ct) => _enqueued.WaitAsync(timeout, ct);

    public void Dispose()
    {
        _channel.Received -= OnReceived;
        _channel.Restored -= WakeEveryone;
        _enqueued.Dispose();
    }

    private void OnReceived(DocumentEvent documentEvent)
    {
        if (documentEvent.Kind == DocumentEventKind.JobEnqueued)
        {
            WakeWorkers();
        }
        else if (documentEvent.DocumentId is { } documentId)
        {
            WakeStatus(documentId);
        }
    }

    private void WakeStatus(string documentId)
    {
        if (_waiters.TryRemove(documentId, out var waiter))
        {
            waiter.TrySetResult();
        }
    }

    private void WakeWorkers()
    {
        if (_enqueued.CurrentCount == 0)
        {
            try
            {
                _enqueued.Release();
            }
            catch (SemaphoreFullException)
            {
                // Another enqueue already woke the workers.
            }
            catch (ObjectDisposedException)
            {
                // An event arriving during shutdown.
            }
        }
    }

    /// <summary>Events may have been lost: every listener re-reads now.</summary>
    private void WakeEveryone()
    {
        foreach (var documentId in _waiters.Keys)
        {
            WakeStatus(documentId);
        }

        WakeWorkers();
    }
}
