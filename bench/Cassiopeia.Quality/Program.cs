using System.Diagnostics;
using System.Globalization;
using Cassiopeia.Core.Search;
using Cassiopeia.Core.Search.Evaluation;
using Cassiopeia.Quality;

// Retrieval quality on a BEIR dataset through the real ingestion and search code. See bench/run-quality.sh.
var options = Arguments.Parse(args);
var dataset = new BeirDataset(options.Get("dataset", "../shared/datasets/beir-scifact"));
var embedder = options.Get("embedder", "Lexical");
var targetTokens = int.Parse(options.Get("target-tokens", "384"), CultureInfo.InvariantCulture);
var chunkDepth = int.Parse(options.Get("chunk-depth", "300"), CultureInfo.InvariantCulture);
var splits = options.Get("splits", "test").Split(',');
var modes = options.Get("modes", $"{SearchModes.Keyword},{SearchModes.Vector},{SearchModes.Hybrid}").Split(',');
var output = options.GetOrNull("out");
var data = Path.GetFullPath(options.Get("data", Path.Combine("data", "quality", $"{embedder.ToLowerInvariant()}-t{targetTokens}")));

var settings = new Dictionary<string, string?>
{
    ["Embeddings:Provider"] = embedder,
    ["Embeddings:GloveFile"] = Path.GetFullPath(options.Get("glove-file", Path.Combine("data", "models", "glove-100d.bin"))),
    ["Ingestion:Chunking:TargetTokens"] = targetTokens.ToString(CultureInfo.InvariantCulture),
    ["Ingestion:Chunking:MaxTokens"] = Math.Max(targetTokens, 512).ToString(CultureInfo.InvariantCulture),
};
using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
var ct = cancel.Token;

await using var host = await QualityHost.StartAsync(data, settings, ct);
await host.IngestAsync(dataset.Corpus(), ct);
var retriever = new Retriever(host, chunkDepth, documentDepth: 100);
var queries = dataset.Queries();
foreach (var split in splits)
{
    var qrels = dataset.Qrels(split);
    var splitQueries = qrels.Keys.ToDictionary(q => q, q => queries[q], StringComparer.Ordinal);
    foreach (var mode in modes)
    {
        var started = Stopwatch.StartNew();
        var run = await retriever.RunAsync(splitQueries, mode, ct);
        var scores = RetrievalMetrics.Evaluate(qrels, run);
        var line = string.Create(CultureInfo.InvariantCulture, $"{embedder}\t{targetTokens}\t{split}\t{mode}\t{scores.Queries}\t{scores.Ndcg:F5}\t{scores.Recall:F5}");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{line}\t({started.Elapsed.TotalSeconds:0} s)"));
        if (output is not null)
        {
            await File.AppendAllTextAsync(output, line + "\n", ct);
        }
    }

    if (options.Has("sweep-fusion"))
    {
        foreach (var (variant, scores) in await new FusionSweep(retriever, chunkDepth).RunAsync(splitQueries, qrels, ct))
        {
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{embedder}\t{targetTokens}\t{split}\t{variant}\t{scores.Queries}\t{scores.Ndcg:F5}\t{scores.Recall:F5}"));
        }
    }
}
