using Cassiopeia.Infrastructure.Ai.Embeddings;
using Microsoft.Extensions.AI;

namespace Cassiopeia.UnitTests.Ai;

public sealed class OnnxEmbeddingGeneratorTests : IDisposable
{
    private readonly string _directory = TinyOnnxModel.CreateModelDirectory();
    private readonly OnnxEmbeddingGenerator _generator;

    public OnnxEmbeddingGeneratorTests()
    {
        _generator = OnnxEmbeddingGenerator.Create(OnnxModelFiles.Find(_directory, maxTokens: 16, out _)!, "onnx:tiny", batchSize: 4);
    }

    public void Dispose()
    {
        _generator.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public void Tokenizer_gives_the_real_vocabulary_ids_lower_cased_with_cls_and_sep()
    {
        Assert.Equal([101, 2023, 2003, 2019, 2742, 6251, 102], _generator.Tokenize("This is an example sentence"));
        Assert.Equal([101, 2169, 6251, 2003, 4991, 102], _generator.Tokenize("Each sentence is converted"));
        Assert.Equal(7, _generator.CountTokens("This is an example sentence"));
    }

    [Fact]
    public void Long_input_is_truncated_to_max_tokens_ending_with_sep()
    {
        var ids = _generator.Tokenize(string.Join(' ', Enumerable.Repeat("physician", 40)));

        Assert.Equal(16, ids.Length);
        Assert.Equal(101, ids[0]);
        Assert.Equal(102, ids[^1]);
        Assert.Equal(16, _generator.CountTokens(string.Join(' ', Enumerable.Repeat("physician", 40))));
    }

    [Fact]
    public async Task Vector_is_the_normalised_mean_of_the_token_rows()
    {
        var ids = _generator.Tokenize("This is an example sentence");
        var expected = new float[TinyOnnxModel.Hidden];
        foreach (var id in ids)
        {
            var row = TinyOnnxModel.Row(id);
            for (var d = 0; d < expected.Length; d++)
            {
                expected[d] += row[d] / ids.Length;
            }
        }

        var norm = MathF.Sqrt(expected.Sum(x => x * x));

        var result = await _generator.GenerateAsync(["This is an example sentence"]);

        var vector = result[0].Vector.ToArray();
        Assert.Equal(TinyOnnxModel.Hidden, vector.Length);
        for (var d = 0; d < vector.Length; d++)
        {
            Assert.Equal(expected[d] / norm, vector[d], 5);
        }

        Assert.Equal(1f, MathF.Sqrt(vector.Sum(x => x * x)), 5);
        Assert.Equal("onnx:tiny", result[0].ModelId);
    }

    [Fact]
    public async Task Padding_does_not_change_a_shorter_texts_vector()
    {
        var alone = await _generator.GenerateAsync(["A short line"]);
        var padded = await _generator.GenerateAsync(["A short line", "a much longer line of text that forces padding of the first one"]);

        Assert.Equal(alone[0].Vector.ToArray(), padded[0].Vector.ToArray(), (a, b) => MathF.Abs(a - b) < 1e-6f);
        Assert.NotEqual(padded[0].Vector.ToArray(), padded[1].Vector.ToArray());
    }

    [Fact]
    public async Task Inputs_beyond_one_batch_come_back_in_order()
    {
        string[] texts = [.. Enumerable.Range(0, 10).Select(i => $"document number {i} about topic {i * 7}")];

        var all = await _generator.GenerateAsync(texts);

        Assert.Equal(10, all.Count);
        for (var i = 0; i < texts.Length; i++)
        {
            var one = await _generator.GenerateAsync([texts[i]]);
            Assert.Equal(one[0].Vector.ToArray(), all[i].Vector.ToArray(), (a, b) => MathF.Abs(a - b) < 1e-6f);
        }
    }

    [Fact]
    public async Task Model_without_token_type_ids_in_hugging_face_layout_runs()
    {
        var directory = TinyOnnxModel.CreateModelDirectory(withTokenTypeIds: false, layout: Path.Combine("onnx", "model.onnx"));
        try
        {
            using var generator = OnnxEmbeddingGenerator.Create(OnnxModelFiles.Find(directory, null, out _)!, "onnx:tiny");

            var result = await generator.GenerateAsync(["This is an example sentence"]);
            var expected = await _generator.GenerateAsync(["This is an example sentence"]);

            Assert.Equal(expected[0].Vector.ToArray(), result[0].Vector.ToArray(), (a, b) => MathF.Abs(a - b) < 1e-6f);
            Assert.Equal(512, generator.MaxTokens);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public void Metadata_names_provider_model_and_dimensions()
    {
        var metadata = _generator.GetService<EmbeddingGeneratorMetadata>();

        Assert.NotNull(metadata);
        Assert.Equal("onnx", metadata.ProviderName);
        Assert.Equal("onnx:tiny", metadata.DefaultModelId);
        Assert.Equal(TinyOnnxModel.Hidden, metadata.DefaultModelDimensions);
    }

    [Fact]
    public async Task Cancelled_call_throws()
    {
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _generator.GenerateAsync(["text"], cancellationToken: new CancellationToken(true)));
    }
}
