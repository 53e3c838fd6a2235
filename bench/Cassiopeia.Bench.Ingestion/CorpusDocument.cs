using System.Text;
using System.Text.Json;

namespace Cassiopeia.Bench.Ingestion;

/// <summary>One abstract of a BEIR corpus (<c>corpus.jsonl</c>: one <c>{_id, title, text}</c> object a line).</summary>
public sealed record CorpusDocument(string Id, string Title, string Text)
{
    public string FileName => $"{Id}.txt";

    /// <summary>The uploaded file: title, a blank line (a paragraph break for the extractor), the text.</summary>
    public byte[] ToFile() => Encoding.UTF8.GetBytes($"{Title}\n\n{Text}\n");

    /// <summary>
    /// A document of the same size and vocabulary with other bytes (each sentence's words reversed):
    /// the warm-up runs on these, so the measured documents are neither duplicates nor cached embeddings.
    /// </summary>
    /// <param name="round">0 for the first warm-up rounds; each later round also rotates the reversed words by its number, so its bytes are new again.</param>
    public CorpusDocument WarmUpVariant(int round = 0) => new(round == 0 ? $"warm-{Id}" : $"warm{round}-{Id}", Reverse(Title, round), Reverse(Text, round));

    public static IReadOnlyList<CorpusDocument> WarmUpSet(IReadOnlyList<CorpusDocument> corpus, int count) =>
        [.. Enumerable.Range(0, count).Select(i => corpus[i % corpus.Count].WarmUpVariant())];

    /// <summary>The documents of settling round <paramref name="round"/> (1, 2, …): <paramref name="size"/> corpus documents from the round's own slice, as warm-up variants of that round.</summary>
    public static IReadOnlyList<CorpusDocument> SettleRound(IReadOnlyList<CorpusDocument> corpus, int round, int size) =>
        [.. Enumerable.Range(0, size).Select(i => corpus[((round * size) + i) % corpus.Count].WarmUpVariant(round))];

    private static string Reverse(string text, int rotation) =>
        string.Join(". ", text.Split(". ").Select(sentence =>
        {
            var words = sentence.Split(' ').Reverse().ToArray();
            var shift = rotation % words.Length;
            return string.Join(' ', words[shift..].Concat(words[..shift]));
        }));

    /// <summary>The first <paramref name="limit"/> documents of the file, in file order.</summary>
    public static IReadOnlyList<CorpusDocument> ReadAll(string path, int limit)
    {
        var documents = new List<CorpusDocument>();
        foreach (var line in File.ReadLines(path))
        {
            if (documents.Count == limit)
            {
                break;
            }

            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            documents.Add(new CorpusDocument(
                root.GetProperty("_id").GetString() ?? throw new InvalidDataException("A line has no _id."),
                root.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "",
                root.GetProperty("text").GetString() ?? ""));
        }

        return documents;
    }
}
