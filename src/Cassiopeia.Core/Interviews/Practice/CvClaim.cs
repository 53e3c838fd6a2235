namespace Cassiopeia.Core.Interviews.Practice;

public enum ClaimKind
{
    /// <summary>A position held: "Senior engineer at Acme, 2019–2023".</summary>
    Role,

    /// <summary>Something built or led: "Built the billing pipeline in Go".</summary>
    Project,

    /// <summary>A result with a number: "Cut p95 latency by 40 %".</summary>
    Achievement,
}

/// <summary>A sentence of the CV that claims something worth asking about, with the chunk it came from.</summary>
public sealed record CvClaim(string Text, ClaimKind Kind, string DocumentId, string ChunkId)
{
    public EvidenceQuote Quote => new(DocumentId, ChunkId, Text);
}
