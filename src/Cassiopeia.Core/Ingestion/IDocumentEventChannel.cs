namespace Cassiopeia.Core.Ingestion;

/// <summary>What happened: a document's status changed, or a job was enqueued.</summary>
public enum DocumentEventKind
{
    StatusChanged,
    JobEnqueued,
}

/// <summary>One document event as it travels between processes (no document for <see cref="DocumentEventKind.JobEnqueued"/>).</summary>
public readonly record struct DocumentEvent(DocumentEventKind Kind, string? DocumentId);

/// <summary>
/// Carries <see cref="DocumentEvents"/> between the processes of a deployment (Redis pub/sub in scale-out).
/// A seam so the core stays free of Redis, and so listeners know whether they may rely on push:
/// while <see cref="ReachesEveryProcess"/> is false they poll the database often, otherwise rarely.
/// </summary>
public interface IDocumentEventChannel
{
    /// <summary>True while every change made anywhere in the deployment reaches this process as an event.</summary>
    bool ReachesEveryProcess { get; }

    /// <summary>Raised for an event published by another process.</summary>
    event Action<DocumentEvent>? Received;

    /// <summary>Raised when the channel comes back after an outage: events of the outage are lost, listeners re-read.</summary>
    event Action? Restored;

    /// <summary>Sends an event to the other processes; never throws and never waits (a lost event costs a poll).</summary>
    void Publish(DocumentEvent documentEvent);
}
