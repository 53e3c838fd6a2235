using System.ClientModel;
using System.ClientModel.Primitives;
using System.Net;
using Microsoft.Extensions.AI;
using OpenAI;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// An OpenAI-compatible <c>POST {endpoint}/embeddings</c> (OpenAI, Azure OpenAI v1, vLLM, Ollama,
/// LM Studio) through the OpenAI SDK. Requests answered 429 or 5xx are retried with exponential
/// backoff, waiting at least as long as <c>Retry-After</c> asks; other failures surface as
/// <see cref="HttpRequestException"/> with the status and the service's message. Vectors are
/// re-normalised, since not every compatible server returns unit vectors.
/// </summary>
public sealed class OpenAiEmbeddingGenerator : BatchedEmbeddingGenerator
{
    private readonly IEmbeddingGenerator<string, Embedding<float>> _client;
    private readonly Uri _endpoint;

    public OpenAiEmbeddingGenerator(Uri endpoint, string? apiKey, string model, int dimensions, bool sendDimensions = true, int maxRetries = 4, int batchSize = 32)
        : base("openai", ModelIdFor(model, dimensions), dimensions, batchSize, endpoint)
    {
        _endpoint = endpoint;
        var options = new OpenAIClientOptions { Endpoint = endpoint, RetryPolicy = new ClientRetryPolicy(maxRetries) };
        // Servers without authentication still get a (meaningless) bearer token: the SDK requires one.
        var credential = new ApiKeyCredential(string.IsNullOrWhiteSpace(apiKey) ? "none" : apiKey);
        _client = new OpenAIClient(credential, options).GetEmbeddingClient(model).AsIEmbeddingGenerator(sendDimensions ? dimensions : null);
    }

    public static string ModelIdFor(string model, int dimensions) => $"openai:{model}@{dimensions}";

    protected override async ValueTask<BatchVectors> EmbedBatchAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        GeneratedEmbeddings<Embedding<float>> generated;
        try
        {
            generated = await _client.GenerateAsync(batch, cancellationToken: cancellationToken);
        }
        catch (ClientResultException e)
        {
            throw new HttpRequestException(
                $"The embedding service at {_endpoint} answered {e.Status} for {ModelId}: {e.Message}", e, e.Status == 0 ? null : (HttpStatusCode)e.Status);
        }

        if (generated.Count != batch.Count)
        {
            throw new InvalidOperationException($"The embedding service at {_endpoint} returned {generated.Count} vectors for {batch.Count} inputs.");
        }

        var vectors = new float[batch.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            var vector = generated[i].Vector.Span;
            if (vector.Length != Dimensions)
            {
                throw new InvalidOperationException($"The embedding service at {_endpoint} returned {vector.Length} dimensions, not the configured {Dimensions} (Embeddings:Dimensions).");
            }

            vectors[i] = UnitVectors.Normalized(vector, ModelId);
        }

        return new BatchVectors(vectors, generated.Usage?.InputTokenCount ?? 0);
    }
}
