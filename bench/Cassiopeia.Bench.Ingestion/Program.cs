using System.Globalization;
using System.Text.Json;
using Cassiopeia.Bench.Ingestion;

const string Usage = """
    Usage: Cassiopeia.Bench.Ingestion upload --url http://127.0.0.1:8093 --token JWT --corpus corpus.jsonl [--limit N] [--concurrency 8] [--warmup 0] [--timeout-seconds 1800]
           Cassiopeia.Bench.Ingestion floor --data DIR --corpus corpus.jsonl [--limit N] [--warmup 0]
    Prints one JSON object. upload: documents/s and chunks/s end to end through the API.
    --warmup N: first, untimed, N documents derived from the corpus (other bytes, same sizes) go the same way, so both sides are measured warm.
    floor: the same extraction, chunking and embedding in process, written in one transaction to a fresh database in DIR.
    """;

var options = new Dictionary<string, string>(StringComparer.Ordinal);
for (var i = 1; i + 1 < args.Length; i += 2)
{
    options[args[i]] = args[i + 1];
}

string Required(string name) => options.TryGetValue(name, out var value) ? value : throw new ArgumentException($"{name} is required.");
int Number(string name, int fallback) => options.TryGetValue(name, out var value) ? int.Parse(value, CultureInfo.InvariantCulture) : fallback;

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

var json = new JsonSerializerOptions(JsonSerializerDefaults.Web);
try
{
    var corpus = CorpusDocument.ReadAll(Required("--corpus"), Number("--limit", int.MaxValue));
    switch (args.FirstOrDefault())
    {
        case "upload":
            var url = new Uri(Required("--url"));
            if (!url.IsLoopback)
            {
                throw new ArgumentException($"Refusing non-loopback target '{url.Host}'.");
            }

            var run = new UploadRun(url, Required("--token"), Number("--concurrency", 8), TimeSpan.FromSeconds(Number("--timeout-seconds", 1800)));
            var upload = await run.RunAsync(corpus, CorpusDocument.WarmUpSet(corpus, Number("--warmup", 0)), cancel.Token);
            Console.WriteLine(JsonSerializer.Serialize(upload, json));
            return upload.Settled && upload.UploadErrors == 0 && upload.Failed == 0 ? 0 : 1;
        case "floor":
            var floor = await FloorRun.RunAsync(corpus, CorpusDocument.WarmUpSet(corpus, Number("--warmup", 0)), Required("--data"), cancel.Token);
            Console.WriteLine(JsonSerializer.Serialize(floor, json));
            return 0;
        default:
            throw new ArgumentException("The first argument is the mode: upload or floor.");
    }
}
catch (Exception e) when (e is ArgumentException or FormatException or UriFormatException or FileNotFoundException)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + Usage);
    return 2;
}
