namespace Cassiopeia.UnitTests.Ai;

internal static class VectorAssert
{
    public static float Cosine(ReadOnlyMemory<float> a, ReadOnlyMemory<float> b) =>
        System.Numerics.Tensors.TensorPrimitives.Dot(a.Span, b.Span);

    public static void IsUnit(ReadOnlyMemory<float> vector)
    {
        foreach (var x in vector.Span)
        {
            Assert.True(float.IsFinite(x));
        }

        Assert.Equal(1f, MathF.Sqrt(Cosine(vector, vector)), 5);
    }

    public static void Close(ReadOnlyMemory<float> expected, ReadOnlyMemory<float> actual, float tolerance = 1e-6f)
    {
        Assert.Equal(expected.Length, actual.Length);
        for (var i = 0; i < expected.Length; i++)
        {
            Assert.True(MathF.Abs(expected.Span[i] - actual.Span[i]) <= tolerance, $"component {i}: expected {expected.Span[i]}, got {actual.Span[i]}");
        }
    }
}
