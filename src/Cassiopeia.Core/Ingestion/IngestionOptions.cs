using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Core.Ingestion;

/// <summary>How documents are turned into chunks and vectors, and how the job workers behave.</summary>
public sealed class IngestionOptions
{
    public const string SectionName = "Ingestion";

    /// <summary>Batches of jobs one process runs at once.</summary>
    [Range(1, 64)]
    public int Workers { get; set; } = 2;

    /// <summary>
    /// Most jobs one worker takes at a time. Documents of one organization in a batch are extracted
    /// one by one but embedded together and indexed in one transaction (group commit), which costs a
    /// fraction of one transaction per document; a failing document never holds back the others.
    /// </summary>
    [Range(1, 256)]
    public int BatchSize { get; set; } = 16;

    /// <summary>Claims before a document is failed for good (a crashed worker's claim counts).</summary>
    [Range(1, 100)]
    public int MaxAttempts { get; set; } = 5;

    /// <summary>How long a claim holds without a heartbeat; a dead worker's job is taken up again after it.</summary>
    [Range(typeof(TimeSpan), "00:00:05", "01:00:00")]
    public TimeSpan LeaseDuration { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How often an idle worker looks for jobs enqueued by another process.</summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>
    /// How often a document's status stream re-reads it while changes can be made by another process
    /// without an event reaching this one (separate API and worker processes without Redis, or Redis down).
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:01:00")]
    public TimeSpan StatusPollInterval { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>
    /// The safety-net re-read of a status stream while every change reaches this process as an event
    /// (one process doing everything, or Redis connected). Long, so that thousands of open streams do
    /// not load the database.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan StatusSafetyPollInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>First retry delay; each further retry doubles it (with jitter) up to <see cref="RetryMaxDelay"/>.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "01:00:00")]
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(2);

    [Range(typeof(TimeSpan), "00:00:00", "1.00:00:00")]
    public TimeSpan RetryMaxDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Time allowed to the extraction of one document, and separately to the embedding of one batch.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "01:00:00")]
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long shutdown waits for running jobs before handing them back to the queue.</summary>
    [Range(typeof(TimeSpan), "00:00:00", "00:10:00")]
    public TimeSpan ShutdownGrace { get; set; } = TimeSpan.FromSeconds(10);

    [Range(1, 100_000)]
    public int MaxPages { get; set; } = 500;

    [Range(1, 100_000_000)]
    public int MaxCharacters { get; set; } = 2_000_000;

    /// <summary>Texts per call to the embedding model.</summary>
    [Range(1, 2048)]
    public int EmbeddingBatchSize { get; set; } = 64;

    public ChunkingOptions Chunking { get; set; } = new();

    /// <summary>The delay before retry number <paramref name="attempt"/> (1-based): exponential with full jitter.</summary>
    public TimeSpan RetryDelay(int attempt, double random)
    {
        var ceiling = Math.Min(RetryMaxDelay.TotalMilliseconds, RetryBaseDelay.TotalMilliseconds * Math.Pow(2, Math.Max(0, attempt - 1)));
        return TimeSpan.FromMilliseconds((ceiling / 2) + (ceiling / 2 * random));
    }
}
