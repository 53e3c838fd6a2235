using Microsoft.Extensions.AI;

namespace Cassiopeia.Core.Ingestion;

/// <summary>Counts tokens the way an embedding model does, so chunks fit its input.</summary>
public interface ITokenCounter
{
    int CountTokens(string text);
}

/// <summary>
/// The embedding model in use: its stable id (stored with every vector, so a change of model is
/// detectable), dimension, input bound, tokenizer and generator.
/// </summary>
public sealed record EmbeddingModel(
    string Id,
    int Dimensions,
    int MaxInputTokens,
    ITokenCounter Tokens,
    IEmbeddingGenerator<string, Embedding<float>> Generator,
    bool IsSemantic);
