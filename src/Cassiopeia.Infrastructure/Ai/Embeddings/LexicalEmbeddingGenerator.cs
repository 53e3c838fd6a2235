using System.Buffers;
using System.Numerics;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// Built-in lexical embedder: signed feature hashing of lower-cased words, word bigrams and
/// character 3–5-grams, sublinear term frequency, L2-normalised. Texts sharing words and word
/// pieces come out close; synonyms do not (not semantic). Needs no files.
/// </summary>
public sealed class LexicalEmbeddingGenerator(int dimensions = LexicalEmbeddingGenerator.DefaultDimensions, int batchSize = 32)
    : BatchedEmbeddingGenerator("lexical", $"lexical:{Version}-{dimensions}", dimensions, batchSize)
{
    public const int DefaultDimensions = 384;

    /// <summary>Part of the model id: any change to features, weights or hashing must bump it.</summary>
    public const string Version = "v1";

    private const uint WordKind = 0, BigramKind = 1, CharGramKind = 2;
    private const uint FnvOffset = 2166136261, FnvPrime = 16777619;
    private static readonly float[] KindWeights = [1f, 0.6f, 0.3f, 0f];

    protected override ValueTask<BatchVectors> EmbedBatchAsync(IReadOnlyList<string> batch, CancellationToken cancellationToken)
    {
        var vectors = new float[batch.Count][];
        for (var i = 0; i < vectors.Length; i++)
        {
            vectors[i] = Embed(batch[i]);
        }

        return ValueTask.FromResult(new BatchVectors(vectors));
    }

    /// <summary>The unit vector of <paramref name="text"/>; text without words gets a fixed unit vector.</summary>
    public float[] Embed(ReadOnlySpan<char> text)
    {
        var vector = new float[Dimensions];
        var features = ArrayPool<uint>.Shared.Rent(6 * text.Length + 16);
        var count = CollectFeatures(text, features);

        // Term frequencies in an open-addressing table (linear probing; hashes are already mixed).
        var capacity = (int)BitOperations.RoundUpToPowerOf2((uint)Math.Max(16, count * 2));
        var keys = ArrayPool<uint>.Shared.Rent(capacity);
        var counts = ArrayPool<int>.Shared.Rent(capacity);
        try
        {
            Array.Clear(counts, 0, capacity);
            var mask = capacity - 1;
            foreach (var feature in features.AsSpan(0, count))
            {
                var slot = (int)(feature >> 3) & mask;
                while (counts[slot] != 0 && keys[slot] != feature)
                {
                    slot = (slot + 1) & mask;
                }

                keys[slot] = feature;
                counts[slot]++;
            }

            for (var slot = 0; slot < capacity; slot++)
            {
                if (counts[slot] != 0)
                {
                    var feature = keys[slot];
                    var weight = KindWeights[feature & 3] * (1f + MathF.Log(counts[slot]));
                    var index = (int)(((ulong)feature * (uint)Dimensions) >> 32);
                    vector[index] += (feature & 4) == 0 ? weight : -weight;
                }
            }
        }
        finally
        {
            ArrayPool<uint>.Shared.Return(features);
            ArrayPool<uint>.Shared.Return(keys);
            ArrayPool<int>.Shared.Return(counts);
        }

        if (!UnitVectors.TryNormalize(vector))
        {
            Array.Clear(vector);
            vector[0] = 1f;
        }

        return vector;
    }

    /// <summary>Writes each feature's hash (its kind in the low two bits) into <paramref name="features"/>; returns how many.</summary>
    private static int CollectFeatures(ReadOnlySpan<char> text, uint[] features)
    {
        // Boundary marks make prefixes and suffixes features of their own ("<ca" differs from "ca").
        Span<char> marked = stackalloc char[Words.MaxLength + 2];
        var count = 0;
        var previousWord = 0u;
        foreach (var word in Words.Enumerate(text))
        {
            marked[0] = '<';
            var length = word.ToLowerInvariant(marked[1..]);
            marked[length + 1] = '>';
            var span = marked[..(length + 2)];

            var wordHash = Hash(span, 0x9E3779B9);
            features[count++] = Tag(wordHash, WordKind);
            if (previousWord != 0)
            {
                features[count++] = Tag(Mix((previousWord * FnvPrime) ^ wordHash), BigramKind);
            }

            previousWord = wordHash | 1;
            for (var start = 0; start + 3 <= span.Length; start++)
            {
                var hash = FnvOffset;
                var end = Math.Min(start + 5, span.Length);
                for (var i = start; i < end; i++)
                {
                    hash = (hash ^ span[i]) * FnvPrime;
                    if (i - start >= 2)
                    {
                        features[count++] = Tag(Mix(hash), CharGramKind);
                    }
                }
            }
        }

        return count;
    }

    private static uint Hash(ReadOnlySpan<char> chars, uint seed)
    {
        var hash = FnvOffset ^ seed;
        foreach (var c in chars)
        {
            hash = (hash ^ c) * FnvPrime;
        }

        return Mix(hash);
    }

    private static uint Tag(uint hash, uint kind) => (hash & ~3u) | kind;

    // MurmurHash3's finaliser: FNV alone leaves the high bits (the bucket) poorly mixed.
    private static uint Mix(uint h)
    {
        h ^= h >> 16;
        h *= 0x85EBCA6B;
        h ^= h >> 13;
        h *= 0xC2B2AE35;
        h ^= h >> 16;
        return h;
    }
}
