using Cassiopeia.Core.Ingestion;
using Microsoft.ML.Tokenizers;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// Token count of OpenAI embedding models (cl100k_base for text-embedding-3 and ada-002); other
/// models behind a compatible endpoint are counted with cl100k_base too, a close approximation.
/// </summary>
public sealed class TiktokenCounter(Tokenizer tokenizer) : ITokenCounter
{
    public static TiktokenCounter For(string model)
    {
        try
        {
            return new(TiktokenTokenizer.CreateForModel(model));
        }
        catch (NotSupportedException)
        {
            return new(TiktokenTokenizer.CreateForEncoding("cl100k_base"));
        }
    }

    public int CountTokens(string text) => tokenizer.CountTokens(text);
}
