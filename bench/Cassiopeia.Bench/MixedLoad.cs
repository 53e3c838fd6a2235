using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Cassiopeia.Bench;

/// <summary>
/// "mixed": seeds an organization with corpus abstracts, then runs <see cref="MixedWorkload"/> at
/// constant arrival rates that rise stage by stage until p99 passes the limit (or any request fails),
/// then soaks at a fraction of the highest passing rate in windows, sampling the server's RSS at the
/// end of each. Prints a JSON summary (for the Markdown the script writes) on stdout.
/// </summary>
public static class MixedLoad
{
    private const int MaxInFlight = 4000;

    public static async Task<int> RunAsync(string[] args)
    {
        var o = Options.Parse(args);
        using var cancel = new CancellationTokenSource();
        Console.CancelKeyPress += (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };

        var queries = ReadJsonLines(Path.Combine(o.Corpus, "queries.jsonl"), 500).Select(q => q["text"]!.GetValue<string>()).ToList();
        var abstracts = ReadJsonLines(Path.Combine(o.Corpus, "corpus.jsonl"), o.Documents + 500)
            .Select(d => $"{d["title"]!.GetValue<string>()}\n\n{d["text"]!.GetValue<string>()}").ToList();
        var ids = await SeedAsync(o, abstracts.Take(o.Documents).ToList(), cancel.Token);
        Log($"seeded {ids.Count} documents, all ready");

        using var workload = new MixedWorkload(o.Url, o.Token, ids, queries, abstracts.Skip(o.Documents).ToList(), o.Connections);
        Log($"warm-up {o.Warmup} s at {o.StartRate}/s");
        await new OpenLoopRunner(workload, o.StartRate, long.MaxValue, MaxInFlight).RunAsync(TimeSpan.FromSeconds(o.Warmup), cancel.Token);

        var stages = new JsonArray();
        var best = 0;
        for (var rate = o.StartRate; rate <= o.MaxRate && !cancel.IsCancellationRequested; rate = Math.Max(rate + 1, (int)Math.Ceiling(rate * o.Growth)))
        {
            var stage = await MeasureAsync(workload, rate, o.Stage, o, cancel.Token);
            stages.Add(stage);
            var p99 = stage["p99Ms"]!.GetValue<double>();
            var errors = stage["errors"]!.GetValue<long>();
            Log($"rate {rate}/s: p99 {p99:0.#} ms, errors {errors}");
            if (p99 > o.P99LimitMs || errors > 0)
            {
                break;
            }

            best = rate;
        }

        var soak = new JsonArray();
        var soakRate = (int)Math.Floor(best * o.SoakFraction);
        if (o.Soak > 0 && soakRate > 0)
        {
            Log($"soak {o.Soak} s at {soakRate}/s in {o.Window} s windows");
            for (var elapsed = 0; elapsed < o.Soak && !cancel.IsCancellationRequested; elapsed += o.Window)
            {
                var window = await MeasureAsync(workload, soakRate, Math.Min(o.Window, o.Soak - elapsed), o, cancel.Token);
                window["endSeconds"] = elapsed + Math.Min(o.Window, o.Soak - elapsed);
                soak.Add(window);
                Log($"  {window["endSeconds"]} s: p99 {window["p99Ms"]} ms, errors {window["errors"]}, rss {window["rssMiB"]} MiB");
            }
        }

        var summary = new JsonObject
        {
            ["documents"] = ids.Count,
            ["connections"] = o.Connections,
            ["p99LimitMs"] = o.P99LimitMs,
            ["bestRate"] = best,
            ["stages"] = stages,
            ["soakRate"] = soakRate,
            ["soak"] = soak,
        };
        Console.WriteLine(summary.ToJsonString());
        return best > 0 ? 0 : 1;
    }

    private static async Task<JsonObject> MeasureAsync(MixedWorkload workload, int rate, int seconds, Options o, CancellationToken ct)
    {
        workload.ResetKinds();
        var stats = await new OpenLoopRunner(workload, rate, long.MaxValue, MaxInFlight).RunAsync(TimeSpan.FromSeconds(seconds), ct);
        var kinds = new JsonObject();
        foreach (var (name, kind) in workload.Kinds)
        {
            kinds[name] = new JsonObject
            {
                ["requests"] = kind.Latency.Count + kind.Errors,
                ["p50Ms"] = Math.Round(kind.Latency.PercentileMilliseconds(0.50), 2),
                ["p99Ms"] = Math.Round(kind.Latency.PercentileMilliseconds(0.99), 2),
                ["errors"] = kind.Errors,
            };
        }

        return new JsonObject
        {
            ["rate"] = rate,
            ["seconds"] = seconds,
            ["requests"] = stats.Latency.Count + stats.Errors,
            ["achievedRps"] = Math.Round(stats.Latency.Count / stats.Elapsed.TotalSeconds, 1),
            ["p50Ms"] = Math.Round(stats.Latency.PercentileMilliseconds(0.50), 2),
            ["p99Ms"] = Math.Round(stats.Latency.PercentileMilliseconds(0.99), 2),
            ["maxMs"] = Math.Round(stats.Latency.MaxMilliseconds, 2),
            ["errors"] = stats.Errors,
            ["errorKinds"] = new JsonObject(stats.ErrorsByKind.Select(e => KeyValuePair.Create(e.Key, (JsonNode?)e.Value))),
            ["rssMiB"] = o.ServerPid is { } pid ? ResidentMiB(pid) : null,
            ["kinds"] = kinds,
        };
    }

    /// <summary>Uploads the abstracts (8 at a time) and waits until every one is ready.</summary>
    private static async Task<List<string>> SeedAsync(Options o, List<string> texts, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = o.Url, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", o.Token);
        var ids = new string[texts.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, texts.Count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (i, token) =>
        {
            var file = new ByteArrayContent(Encoding.UTF8.GetBytes(texts[i]));
            file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            using var form = new MultipartFormDataContent { { file, "file", $"abstract-{i}.txt" }, { new StringContent("other"), "kind" } };
            using var response = await client.PostAsync("v1/documents", form, token);
            response.EnsureSuccessStatusCode();
            ids[i] = (await response.Content.ReadFromJsonAsync<JsonObject>(token))!["id"]!.GetValue<string>();
        });

        var deadline = DateTime.UtcNow.AddMinutes(5);
        foreach (var id in ids)
        {
            while (true)
            {
                var document = await client.GetFromJsonAsync<JsonObject>($"v1/documents/{id}", ct);
                var status = document!["status"]!.GetValue<string>();
                if (status == "ready")
                {
                    break;
                }

                if (status == "failed" || DateTime.UtcNow > deadline)
                {
                    throw new InvalidOperationException($"document {id} ended {status}");
                }

                await Task.Delay(200, ct);
            }
        }

        return [.. ids];
    }

    /// <summary>VmRSS of a process in MiB (Linux), or null when it cannot be read.</summary>
    public static double? ResidentMiB(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
            return line is null ? null : Math.Round(long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0, 1);
        }
        catch (IOException)
        {
            return null;
        }
    }

    private static IEnumerable<JsonObject> ReadJsonLines(string path, int limit) =>
        File.ReadLines(path).Where(l => !string.IsNullOrWhiteSpace(l)).Take(limit).Select(l => JsonNode.Parse(l)!.AsObject());

    private static void Log(string message) => Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {message}");

    private sealed record Options(
        Uri Url, string Token, string Corpus, int Documents, int Connections, int StartRate, double Growth, int MaxRate,
        int Stage, int Warmup, double P99LimitMs, int Soak, double SoakFraction, int Window, int? ServerPid)
    {
        public static Options Parse(string[] args)
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 1; i + 1 < args.Length; i += 2)
            {
                values[args[i].TrimStart('-')] = args[i + 1];
            }

            string Get(string name, string? fallback = null) => values.TryGetValue(name, out var v) ? v : fallback ?? throw new ArgumentException($"--{name} is required");
            int Int(string name, int fallback) => int.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            double Double(string name, double fallback) => double.Parse(Get(name, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
            var url = Get("url");
            return new Options(
                new Uri(url.EndsWith('/') ? url : url + "/"), Get("token"), Get("corpus"), Int("documents", 200), Int("connections", 256),
                Int("start-rate", 20), Double("growth", 1.25), Int("max-rate", 20_000), Int("stage", 15), Int("warmup", 20),
                Double("p99-limit", 100), Int("soak", 600), Double("soak-fraction", 0.7), Int("window", 60),
                values.TryGetValue("server-pid", out var pid) ? int.Parse(pid, CultureInfo.InvariantCulture) : null);
        }
    }
}
