using System.Text.Json;

namespace Cassiopeia.Quality;

public sealed record CorpusDocument(string Id, string Title, string Text);

/// <summary>A BEIR dataset folder: <c>corpus.jsonl</c>, <c>queries.jsonl</c> and <c>qrels/&lt;split&gt;.tsv</c>.</summary>
public sealed class BeirDataset(string directory)
{
    public string Directory => directory;

    public IEnumerable<CorpusDocument> Corpus()
    {
        foreach (var line in File.ReadLines(Path.Combine(directory, "corpus.jsonl")))
        {
            if (line.Length == 0)
            {
                continue;
            }

            using var json = JsonDocument.Parse(line);
            var root = json.RootElement;
            yield return new CorpusDocument(
                root.GetProperty("_id").GetString()!,
                root.TryGetProperty("title", out var title) ? title.GetString() ?? "" : "",
                root.GetProperty("text").GetString() ?? "");
        }
    }

    /// <summary>Query id → text. The <c>metadata</c> (SciFact's evidence, i.e. the answers) is never read.</summary>
    public Dictionary<string, string> Queries()
    {
        var queries = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory, "queries.jsonl")))
        {
            if (line.Length > 0)
            {
                using var json = JsonDocument.Parse(line);
                queries[json.RootElement.GetProperty("_id").GetString()!] = json.RootElement.GetProperty("text").GetString()!;
            }
        }

        return queries;
    }

    /// <summary>Query id → corpus id → grade, from the split's TSV (header skipped, CR trimmed).</summary>
    public Dictionary<string, IReadOnlyDictionary<string, int>> Qrels(string split)
    {
        var qrels = new Dictionary<string, Dictionary<string, int>>(StringComparer.Ordinal);
        foreach (var line in File.ReadLines(Path.Combine(directory, "qrels", $"{split}.tsv")).Skip(1))
        {
            var fields = line.TrimEnd('\r').Split('\t');
            if (fields.Length < 3)
            {
                continue;
            }

            if (!qrels.TryGetValue(fields[0], out var judged))
            {
                qrels[fields[0]] = judged = new Dictionary<string, int>(StringComparer.Ordinal);
            }

            judged[fields[1]] = int.Parse(fields[2], System.Globalization.CultureInfo.InvariantCulture);
        }

        return qrels.ToDictionary(q => q.Key, q => (IReadOnlyDictionary<string, int>)q.Value, StringComparer.Ordinal);
    }
}
