using Microsoft.Extensions.AI;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// What every embedder here shares: input split into batches, cancellation between batches, one
/// L2-normalised vector of <see cref="Dimensions"/> per input, model id and metadata.
/// </summary>
public abstract class BatchedEmbeddingGenerator : IEmbeddingGenerator<string, Embedding<float>>
{
    private readonly EmbeddingGeneratorMetadata _metadata;

    protected BatchedEmbeddingGenerator(string providerName, string modelId, int dimensions, int batchSize, Uri? providerUri = null)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(dimensions, 1);
        ArgumentOutOfRangeException.ThrowIfLessThan(batchSize, 1);
        ModelId = modelId;
        Dimensions = dimensions;
        BatchSize = batchSize;
        _metadata = new EmbeddingGeneratorMetadata(providerName, providerUri, modelId, dimensions);
    }

    /// <summary>Stable id stored with every vector.</summary>
    public string ModelId { get; }

    public int Dimensions { get; }

    public int BatchSize { get; }

    public async Task<GeneratedEmbeddings<Embedding<float>>> GenerateAsync(
        IEnumerable<string> values, EmbeddingGenerationOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (options?.Dimensions is { } asked && asked != Dimensions)
        {
            throw new NotSupportedException($"{ModelId} produces {Dimensions}-dimensional vectors, not {asked}.");
        }

        var inputs = values as IReadOnlyList<string> ?? values.ToList();
        var result = new GeneratedEmbeddings<Embedding<float>>(inputs.Count);
        long inputTokens = 0;
        var createdAt = DateTimeOffset.UtcNow;
        for (var start = 0; start < inputs.Count; start += BatchSize)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var batch = Slice(inputs, start, Math.Min(BatchSize, inputs.Count - start));
            var vectors = await EmbedBatchAsync(batch, cancellationToken);
            if (vectors.Vectors.Length != batch.Count)
            {
                throw new InvalidOperationException($"{ModelId} returned {vectors.Vectors.Length} vectors for {batch.Count} inputs.");
            }

            foreach (var vector in vectors.Vectors)
            {
                result.Add(new Embedding<float>(vector) { ModelId = ModelId, CreatedAt = createdAt });
            }

            inputTokens += vectors.InputTokens;
        }

        if (inputTokens > 0)
        {
            result.Usage = new UsageDetails { InputTokenCount = inputTokens, TotalTokenCount = inputTokens };
        }

        return result;
    }

    /// <summary>Embeds one batch (at most <see cref="BatchSize"/> texts) into unit vectors of <see cref="Dimensions"/>.</summary>
    protected abstract ValueTask<BatchVectors> EmbedBatchAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken);

    public object? GetService(Type serviceType, object? serviceKey = null)
    {
        ArgumentNullException.ThrowIfNull(serviceType);
        return serviceKey is not null ? null
            : serviceType == typeof(EmbeddingGeneratorMetadata) ? _metadata
            : serviceType.IsInstanceOfType(this) ? this
            : null;
    }

    public void Dispose()
    {
        Dispose(disposing: true);
        GC.SuppressFinalize(this);
    }

    protected virtual void Dispose(bool disposing)
    {
    }

    private static IReadOnlyList<string> Slice(IReadOnlyList<string> inputs, int start, int count) =>
        start == 0 && count == inputs.Count ? inputs
        : inputs is string[] array ? new ArraySegment<string>(array, start, count)
        : inputs is List<string> list ? list.GetRange(start, count)
        : inputs.Skip(start).Take(count).ToArray();
}

/// <summary>The vectors of one batch, in input order, and the tokens a remote service counted (0 when unknown).</summary>
public readonly record struct BatchVectors(float[][] Vectors, long InputTokens = 0);
