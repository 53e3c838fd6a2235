namespace Cassiopeia.Core.Ingestion;

/// <summary>
/// No channel between processes. <paramref name="onlyProcess"/> says whether this process is the whole
/// deployment (API and workers in one, the embedded profile): then every change is made here and seen
/// as an in-process event; otherwise changes made by other processes are only seen by polling.
/// </summary>
public sealed class InProcessDocumentEventChannel(bool onlyProcess) : IDocumentEventChannel
{
    public bool ReachesEveryProcess => onlyProcess;

    public event Action<DocumentEvent>? Received
    {
        add { }
        remove { }
    }

    public event Action? Restored
    {
        add { }
        remove { }
    }

    public void Publish(DocumentEvent documentEvent)
    {
    }
}
