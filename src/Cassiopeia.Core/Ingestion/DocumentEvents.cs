using System.Collections.Concurrent;

namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// Wakes in-process listeners (status streams, idle workers) when a document's status changes or a
/// job is enqueued. A hint only: listeners also poll, so changes made by another process are seen too.
/// </summary>
public sealed class DocumentEvents : IDisposable
{
    private readonly ConcurrentDictionary<string, TaskCompletionSource> _waiters = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _enqueued = new(0, 1);

    public void StatusChanged(string documentId)
    {
        if (_waiters.TryRemove(documentId, out var waiter))
        {
            waiter.TrySetResult();
        }
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
        }
    }

    /// <summary>For workers: waits for an enqueue in this process or the poll interval.</summary>
    public Task<bool> WaitForJobAsync(TimeSpan timeout, CancellationToken ct) => _enqueued.WaitAsync(timeout, ct);

    public void Dispose() => _enqueued.Dispose();
}
