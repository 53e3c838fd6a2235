using System.Text.Json;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// The files of a sentence-transformer exported to ONNX, laid out as on Hugging Face:
/// <c>model.onnx</c> (or <c>onnx/model.onnx</c>), <c>vocab.txt</c>, and optionally
/// <c>tokenizer_config.json</c>, <c>sentence_bert_config.json</c>, <c>config.json</c>.
/// </summary>
public sealed record OnnxModelFiles(string ModelPath, string VocabularyPath, bool LowerCase, int MaxTokens)
{
    public const int DefaultMaxTokens = 512;

    /// <summary>The model in <paramref name="directory"/>, or null with the reason it is unusable.</summary>
    public static OnnxModelFiles? Find(string directory, int? maxTokens, out string problem)
    {
        var model = new[] { "model.onnx", Path.Combine("onnx", "model.onnx") }.Select(f => Path.Combine(directory, f)).FirstOrDefault(File.Exists);
        var vocabulary = Path.Combine(directory, "vocab.txt");
        problem = !Directory.Exists(directory) ? $"folder {directory} does not exist"
            : model is null ? $"no model.onnx or onnx/model.onnx in {directory}"
            : !File.Exists(vocabulary) ? $"no vocab.txt in {directory}"
            : "";
        if (problem.Length > 0)
        {
            return null;
        }

        var tokenizer = ReadJson(directory, "tokenizer_config.json");
        var lowerCase = tokenizer is { } t && t.TryGetProperty("do_lower_case", out var lower) ? lower.ValueKind != JsonValueKind.False : true;
        var limit = maxTokens
            ?? Int(ReadJson(directory, "sentence_bert_config.json"), "max_seq_length")
            ?? Int(tokenizer, "model_max_length")
            ?? DefaultMaxTokens;
        var positions = Int(ReadJson(directory, "config.json"), "max_position_embeddings") ?? DefaultMaxTokens;
        return new OnnxModelFiles(model!, vocabulary, lowerCase, Math.Min(limit, positions));
    }

    private static JsonElement? ReadJson(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        return File.Exists(path) ? JsonDocument.Parse(File.ReadAllBytes(path)).RootElement.Clone() : null;
    }

    // Tokenizer configs without a limit say so with a huge model_max_length (1e30).
    private static int? Int(JsonElement? json, string name) =>
        json is { ValueKind: JsonValueKind.Object } j && j.TryGetProperty(name, out var value) && value.TryGetInt32(out var number) && number > 0
            ? number
            : null;
}
