using Cassiopeia.Infrastructure.Ai.Embeddings;
using Microsoft.Extensions.AI;

namespace Cassiopeia.UnitTests.Ai;

public sealed class LexicalEmbeddingGeneratorTests
{
    // The three strongest components of "Senior engineer" when hashing was introduced.
    private const string Golden = "209:0.4096 347:0.4096 182:-0.3687";

    private readonly LexicalEmbeddingGenerator _generator = new(batchSize: 8);

    [Fact]
    public void Vectors_are_unit_length_of_the_configured_dimensions()
    {
        var vector = _generator.Embed("Senior C# engineer with ten years of ASP.NET Core and PostgreSQL");

        Assert.Equal(384, vector.Length);
        VectorAssert.IsUnit(vector);
        Assert.Equal(512, new LexicalEmbeddingGenerator(512).Embed("x y z").Length);
    }

    [Fact]
    public void Hashing_is_stable_across_processes()
    {
        // A per-process hash (string.GetHashCode) would move these between runs and orphan stored vectors.
        var vector = _generator.Embed("Senior engineer");
        var strongest = vector.Select((value, index) => (value, index)).OrderByDescending(x => MathF.Abs(x.value)).Take(3).ToArray();

        Assert.Equal(Golden, string.Join(' ', strongest.Select(x => $"{x.index}:{x.value:F4}")));
    }

    [Fact]
    public void Texts_sharing_words_and_word_pieces_are_closer_than_unrelated_ones()
    {
        var query = _generator.Embed("software engineer experienced in C# and distributed systems");
        var related = _generator.Embed("C# software engineering, distributed system design");
        var unrelated = _generator.Embed("banana bread recipe with walnuts");

        Assert.True(VectorAssert.Cosine(query, related) > VectorAssert.Cosine(query, unrelated) + 0.2f);
    }

    [Fact]
    public void Case_and_punctuation_do_not_matter()
    {
        VectorAssert.Close(_generator.Embed("hello world"), _generator.Embed("Hello, WORLD!"));
    }

    [Fact]
    public void Repeated_words_count_sublinearly()
    {
        var once = _generator.Embed("python java");
        var often = _generator.Embed("python python python python python python python python java");

        // Raw counts would make "python" drown "java"; 1 + ln(tf) keeps both present.
        var java = _generator.Embed("java");
        Assert.True(VectorAssert.Cosine(often, java) > 0.25f);
        Assert.True(VectorAssert.Cosine(once, often) > 0.8f);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ,.;!  ")]
    public void Text_without_words_gets_a_unit_vector(string text)
    {
        VectorAssert.IsUnit(_generator.Embed(text));
    }

    [Fact]
    public async Task Batches_return_every_input_in_order_with_model_id()
    {
        string[] texts = [.. Enumerable.Range(0, 19).Select(i => $"note {i} on topic {i % 5}")];

        var result = await _generator.GenerateAsync(texts);

        Assert.Equal(19, result.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            VectorAssert.Close(_generator.Embed(texts[i]), result[i].Vector);
            Assert.Equal("lexical:v1-384", result[i].ModelId);
        }
    }

    [Fact]
    public void Metadata_and_token_counter_describe_the_model()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>()!;

        Assert.Equal("lexical", metadata.ProviderName);
        Assert.Equal(384, metadata.DefaultModelDimensions);
        Assert.Equal(6, WordTokenCounter.Instance.CountTokens("It's a C#-heavy role"));
    }

    [Fact]
    public async Task Other_dimensions_are_refused_and_cancellation_is_honoured()
    {
        await Assert.ThrowsAsync<NotSupportedException>(() => _generator.GenerateAsync(["x"], new EmbeddingGenerationOptions { Dimensions = 100 }));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(["x"], cancellationToken: new CancellationToken(true)));
    }
}
