using System.Numerics;
using System.Runtime.InteropServices;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// Static semantic embedder: the SIF-weighted average of a text's GloVe word vectors (weight
/// a / (a + p(w)), p(w) from the word's frequency rank by Zipf's law, so "the" counts little and
/// "physician" much), L2-normalised. Unknown words are skipped; a text without known words falls
/// back to lexical hashing of its words, so it still gets a distinct unit vector.
/// </summary>
public sealed class GloveEmbeddingGenerator : BatchedEmbeddingGenerator
{
    public const string DefaultModelId = "glove:wink-sg-100d";

    /// <summary>SIF's smoothing constant a (Arora et al., 2017).</summary>
    public const float Smoothing = 1e-3f;

    private readonly GloveVectors _vectors;
    private readonly float[] _weights;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _rows;
    private readonly LexicalEmbeddingGenerator _fallback;

    public GloveEmbeddingGenerator(GloveVectors vectors, string modelId = DefaultModelId, int batchSize = 32)
        : base("glove", modelId, vectors.Dimensions, batchSize)
    {
        _vectors = vectors;
        _weights = SifWeights(vectors.Words.Count);
        var rows = new Dictionary<string, int>(vectors.Words.Count, StringComparer.Ordinal);
        for (var i = 0; i < vectors.Words.Count; i++)
        {
            // Only words the tokenizer can produce; "u.s." or "--" are never looked up.
            var word = vectors.Words[i];
            if (IsWord(word))
            {
                rows.TryAdd(word, i);
            }
        }

        _rows = rows.GetAlternateLookup<ReadOnlySpan<char>>();
        _fallback = new LexicalEmbeddingGenerator(vectors.Dimensions);
    }

    public int VocabularySize => _rows.Dictionary.Count;

    /// <summary>a / (a + p(r)) with Zipf's p(r) = 1 / ((r + 1) H_n) for the word of frequency rank r.</summary>
    public static float[] SifWeights(int count)
    {
        var harmonic = 0.0;
        for (var k = count; k >= 1; k--)
        {
            harmonic += 1.0 / k;
        }

        var weights = new float[count];
        for (var rank = 0; rank < count; rank++)
        {
            var p = 1.0 / ((rank + 1) * harmonic);
            weights[rank] = (float)(Smoothing / (Smoothing + p));
        }

        return weights;
    }

    protected override ValueTask<BatchVectors> EmbedBatchAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        var vectors = new float[batch.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Embed(batch[i]);
        }

        return ValueTask.FromResult(new BatchVectors(vectors));
    }

    public float[] Embed(ReadOnlySpan<char> text)
    {
        Span<float> sum = stackalloc float[Dimensions];
        Span<char> lower = stackalloc char[Words.MaxLength];
        sum.Clear();
        var known = 0;
        foreach (var word in Words.Enumerate(text))
        {
            if (_rows.TryGetValue(Words.Lower(word, lower), out var index))
            {
                MultiplyAdd(_vectors.Vector(index), _weights[index], sum);
                known++;
            }
        }

        return known > 0 && UnitVectors.TryNormalize(sum) ? sum.ToArray() : _fallback.Embed(text);
    }

    /// <summary>sum += weight × row, converting float16 to float32 in registers (TensorPrimitives converts Half element by element).</summary>
    public static void MultiplyAdd(ReadOnlySpan<Half> row, float weight, Span<float> sum)
    {
        var bits = MemoryMarshal.Cast<Half, ushort>(row);
        var i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            // A half's exponent and mantissa shifted into a float's place read as the value × 2^-112
            // (subnormals included); 2^112 joins the weight, the sign bit is put back unchanged.
            var scale = new Vector<float>(weight * 5.192296858534828e33f);
            for (; i <= bits.Length - Vector<ushort>.Count; i += Vector<ushort>.Count)
            {
                Vector.Widen(new Vector<ushort>(bits[i..]), out var low, out var high);
                AddHalves(low, scale, sum.Slice(i, Vector<float>.Count));
                AddHalves(high, scale, sum.Slice(i + Vector<float>.Count, Vector<float>.Count));
            }
        }

        for (; i < row.Length; i++)
        {
            sum[i] += weight * (float)row[i];
        }
    }

    private static void AddHalves(Vector<uint> half, Vector<float> scale, Span<float> target)
    {
        var magnitude = Vector.AsVectorSingle((half & new Vector<uint>(0x7FFF)) << 13) * scale;
        var value = Vector.AsVectorSingle(Vector.AsVectorUInt32(magnitude) ^ ((half & new Vector<uint>(0x8000)) << 16));
        (new Vector<float>(target) + value).CopyTo(target);
    }

    private static bool IsWord(string word)
    {
        foreach (var c in word)
        {
            if (!char.IsLetterOrDigit(c))
            {
                return false;
            }
        }

        return word.Length <= Words.MaxLength;
    }
}
