namespace Cassiopeia.Core.Jobs;

/// <summary>
/// The durable work item behind a document: written in the same transaction as the document
/// (outbox), leased by one worker at a time, retried with backoff, dead after the attempt limit.
/// Deliberately not organization-scoped: workers claim jobs across organizations and then act
/// inside the job's organization.
/// </summary>
public sealed class IngestionJob
{
    public required string Id { get; init; }

    public required string OrganizationId { get; init; }

    /// <summary>One job per document; a retry re-arms the same row.</summary>
    public required string DocumentId { get; init; }

    public required string State { get; set; }

    /// <summary>Claims so far, the current one included (a crashed worker's claim counts).</summary>
    public int Attempts { get; set; }

    public DateTime RunAfterUtc { get; set; }

    /// <summary>Changes with every claim, so a worker whose lease expired can no longer finish the job.</summary>
    public string? LeaseToken { get; set; }

    public DateTime? LeaseExpiresUtc { get; set; }

    public string? LastError { get; set; }

    /// <summary>W3C trace context of the request that enqueued it, so its trace continues into the job.</summary>
    public string? TraceParent { get; set; }

    public DateTime CreatedUtc { get; init; }

    public DateTime UpdatedUtc { get; set; }
}

public static class JobStates
{
    public const string Pending = "pending";
    public const string Running = "running";
    public const string Done = "done";

    /// <summary>Failed for good (permanent error or attempt limit); an admin may retry it.</summary>
    public const string Dead = "dead";
}

/// <summary>A job this worker holds until <see cref="LeaseExpiresUtc"/>.</summary>
public sealed record LeasedJob(string Id, string OrganizationId, string DocumentId, int Attempts, string LeaseToken, DateTime LeaseExpiresUtc, string? TraceParent);
