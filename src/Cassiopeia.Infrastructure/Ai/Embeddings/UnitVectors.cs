using System.Numerics.Tensors;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>L2 normalisation, so that cosine similarity is a dot product wherever vectors are compared.</summary>
public static class UnitVectors
{
    /// <summary>Scales <paramref name="vector"/> to length 1; false (and unchanged) when it is zero or not finite.</summary>
    public static bool TryNormalize(Span<float> vector)
    {
        var norm = TensorPrimitives.Norm(vector);
        if (!(norm > 0f) || !float.IsFinite(norm))
        {
            return false;
        }

        TensorPrimitives.Divide(vector, norm, vector);
        return true;
    }

    /// <summary>A copy of <paramref name="vector"/> scaled to length 1; throws when that is impossible.</summary>
    public static float[] Normalized(ReadOnlySpan<float> vector, string source)
    {
        var copy = vector.ToArray();
        return TryNormalize(copy) ? copy : throw new InvalidOperationException($"{source} returned a zero or non-finite vector.");
    }
}
