namespace Cassiopeia.UnitTests.Search;

/// <summary>Seeded unit vectors for index tests.</summary>
internal static class RandomVectors
{
    public static float[][] Create(int count, int dimensions, int seed)
    {
        var random = new Random(seed);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = Unit(random, dimensions);
        }

        return vectors;
    }

    /// <summary>
    /// Unit vectors around <paramref name="clusters"/> random centres, each component perturbed by
    /// Gaussian noise of <paramref name="spread"/>: structure like real embeddings have (topics), which
    /// uniform random directions in 64 dimensions lack (their nearest neighbours are barely nearer
    /// than anyone else, the worst case of every approximate index).
    /// </summary>
    public static float[][] Clustered(int count, int dimensions, int clusters, float spread, int seed)
    {
        var random = new Random(seed);
        var centres = Create(clusters, dimensions, seed + 1);
        var vectors = new float[count][];
        for (var i = 0; i < count; i++)
        {
            vectors[i] = Near(random, centres[random.Next(clusters)], spread);
        }

        return vectors;
    }

    public static float[] Near(Random random, float[] centre, float spread)
    {
        var vector = new float[centre.Length];
        for (var d = 0; d < vector.Length; d++)
        {
            vector[d] = centre[d] + (spread * Gaussian(random));
        }

        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(vector, vector));
        for (var d = 0; d < vector.Length; d++)
        {
            vector[d] /= norm;
        }

        return vector;
    }

    private static float Gaussian(Random random) =>
        (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));

    public static float[] Unit(Random random, int dimensions)
    {
        var vector = new float[dimensions];
        for (var d = 0; d < dimensions; d++)
        {
            // Box–Muller: Gaussian components give directions uniform on the sphere.
            vector[d] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()));
        }

        var norm = MathF.Sqrt(System.Numerics.Tensors.TensorPrimitives.Dot<float>(vector, vector));
        for (var d = 0; d < dimensions; d++)
        {
            vector[d] /= norm;
        }

        return vector;
    }
}
