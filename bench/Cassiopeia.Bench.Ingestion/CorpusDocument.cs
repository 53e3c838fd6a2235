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
    public CorpusDocument WarmUpVariant() => new($"warm-{Id}", Reverse(Title), Reverse(Text));

    public static IReadOnlyList<CorpusDocument> WarmUpSet(IReadOnlyList<CorpusDocument> corpus, int count) =>
        [.. Enumerable.Range(0, count).Select(i => corpus[i % corpus.Count].WarmUpVariant())];

    private static string Reverse(string text) =>
        string.Join(". ", text.Split(". ").Select(sentence => string.Join(' ', sentence.Split(' ').Reverse())));

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
