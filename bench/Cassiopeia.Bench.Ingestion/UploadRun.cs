using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;

namespace Cassiopeia.Bench.Ingestion;

/// <summary>
/// End to end through the API: uploads every document as a <c>.txt</c> over
/// <paramref name="concurrency"/> connections, then polls the document list until nothing is
/// queued or processing, then pages through the ready and failed documents it uploaded.
/// </summary>
public sealed class UploadRun(Uri baseUrl, string token, int concurrency, TimeSpan settleTimeout)
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(100);

    public async Task<UploadReport> RunAsync(IReadOnlyList<CorpusDocument> corpus, IReadOnlyList<CorpusDocument> warmUp, CancellationToken ct)
    {
        using var client = CreateClient();
        IReadOnlyList<double> settling = [];
        if (warmUp.Count > 0)
        {
            // Untimed: the server JIT-compiles and tiers up its hot paths, as it has in production.
            // In two rounds with pauses: the JIT counts calls toward promoting a method only once
            // 100 ms pass without new methods to compile, so the first round (a burst of new code)
            // mostly postpones it, the second is counted, and the last pause lets the background
            // compilation finish. With one round, the first ~9 s of the timed run were still JIT.
            var first = warmUp.Take(warmUp.Count * 3 / 4).ToList();
            await UploadAllAsync(client, first, ct);
            await WaitUntilSettledAsync(client, ct);
            await Task.Delay(TimeSpan.FromSeconds(2), ct);
            await UploadAllAsync(client, warmUp.Skip(first.Count).ToList(), ct);
            await WaitUntilSettledAsync(client, ct);
            await Task.Delay(TimeSpan.FromSeconds(3), ct);
            settling = await JitSettling.SettleAsync(
                async round =>
                {
                    await UploadAllAsync(client, CorpusDocument.SettleRound(corpus, round, JitSettling.RoundSize), ct);
                    await WaitUntilSettledAsync(client, ct);
                },
                () => ServerJitSecondsAsync(client, ct),
                ct);
        }

        var jitBefore = await ServerJitSecondsAsync(client, ct);
        var started = Stopwatch.GetTimestamp();
        var (latencies, created, duplicates, errors, files) = await UploadAllAsync(client, corpus, ct);
        var uploadSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;

        var settled = await WaitUntilSettledAsync(client, ct);
        var totalSeconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.Delay(TimeSpan.FromMilliseconds(400), ct); // past the exporter's scrape cache
        var timedJit = await ServerJitSecondsAsync(client, ct) - jitBefore;

        var (ready, chunks) = await CountAsync(client, "ready", created, ct);
        var (failed, _) = await CountAsync(client, "failed", created, ct);
        Array.Sort(latencies);
        return new UploadReport(
            files, created.Count, duplicates, errors.Count, ready, failed, chunks, settled,
            Math.Round(uploadSeconds, 2), Math.Round(totalSeconds, 2),
            Math.Round(ready / totalSeconds, 1), Math.Round(chunks / totalSeconds, 1),
            Math.Round(Percentile(latencies, 0.5), 1), Math.Round(Percentile(latencies, 0.99), 1),
            [.. errors.GroupBy(e => e, StringComparer.Ordinal).Select(g => $"{g.Key} x{g.Count()}")],
            settling, Math.Round(timedJit, 3));
    }

    /// <summary>The server's total JIT compilation time so far, from its Prometheus endpoint (the runtime's own counter).</summary>
    private static async Task<double> ServerJitSecondsAsync(HttpClient client, CancellationToken ct)
    {
        const string Name = "dotnet_jit_compilation_time_seconds_total";
        var text = await client.GetStringAsync(new Uri("metrics", UriKind.Relative), ct);
        foreach (var line in text.Split('\n'))
        {
            if (line.StartsWith(Name, StringComparison.Ordinal))
            {
                return double.Parse(line[(line.LastIndexOf(' ') + 1)..], CultureInfo.InvariantCulture);
            }
        }

        throw new InvalidOperationException($"The server's /metrics has no {Name}.");
    }

    private async Task<(double[] Latencies, HashSet<string> Created, int Duplicates, List<string> Errors, int Files)> UploadAllAsync(
        HttpClient client, IReadOnlyList<CorpusDocument> corpus, CancellationToken ct)
    {
        var files = corpus.Select(d => (d.FileName, Bytes: d.ToFile())).ToArray();
        var latencies = new double[files.Length];
        var created = new HashSet<string>(StringComparer.Ordinal);
        var errors = new List<string>();
        int next = -1, duplicates = 0;
        await Task.WhenAll(Enumerable.Range(0, concurrency).Select(async _ =>
        {
            for (var i = Interlocked.Increment(ref next); i < files.Length; i = Interlocked.Increment(ref next))
            {
                var sent = Stopwatch.GetTimestamp();
                var (status, id) = await UploadAsync(client, files[i].FileName, files[i].Bytes, ct);
                latencies[i] = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
                lock (created)
                {
                    if (status == "202" && id is not null)
                    {
                        created.Add(id);
                    }
                    else if (status == "200")
                    {
                        duplicates++;
                    }
                    else
                    {
                        errors.Add(status);
                    }
                }
            }
        }));
        return (latencies, created, duplicates, errors, files.Length);
    }

    private HttpClient CreateClient()
    {
        var handler = new SocketsHttpHandler
        {
            MaxConnectionsPerServer = concurrency + 2,
            PooledConnectionLifetime = Timeout.InfiniteTimeSpan,
            UseCookies = false,
            UseProxy = false,
            AllowAutoRedirect = false,
        };
        var client = new HttpClient(handler) { BaseAddress = baseUrl, Timeout = TimeSpan.FromSeconds(60) };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Status code as text ("202", "200", "500") or the exception's type name, and the document id of a 202.</summary>
    private static async Task<(string Status, string? Id)> UploadAsync(HttpClient client, string fileName, byte[] bytes, CancellationToken ct)
    {
        using var form = new MultipartFormDataContent();
        using var kind = new StringContent("other");
        using var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        form.Add(kind, "kind");
        form.Add(file, "file", fileName);
        try
        {
            using var response = await client.PostAsync(new Uri("v1/documents", UriKind.Relative), form, ct);
            var status = ((int)response.StatusCode).ToString(CultureInfo.InvariantCulture);
            if (response.StatusCode != HttpStatusCode.Accepted)
            {
                return (status, null);
            }

            using var json = JsonDocument.Parse(await response.Content.ReadAsStreamAsync(ct));
            return (status, json.RootElement.GetProperty("id").GetString());
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return (e.GetType().Name, null);
        }
    }

    /// <summary>
    /// True once no document is queued or processing. Queued is asked first: documents only move
    /// queued → processing → ready/failed, so an empty answer to both, in that order, means done.
    /// </summary>
    private async Task<bool> WaitUntilSettledAsync(HttpClient client, CancellationToken ct)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(settleTimeout.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline)
        {
            if (!await AnyAsync(client, "queued", ct) && !await AnyAsync(client, "processing", ct))
            {
                return true;
            }

            await Task.Delay(PollInterval, ct);
        }

        return false;
    }

    private static async Task<bool> AnyAsync(HttpClient client, string status, CancellationToken ct)
    {
        using var json = await GetPageAsync(client, status, 1, null, ct);
        return json.RootElement.GetProperty("items").GetArrayLength() > 0;
    }

    /// <summary>How many of <paramref name="ours"/> have <paramref name="status"/>, and the sum of their chunk counts.</summary>
    private static async Task<(int Count, long Chunks)> CountAsync(HttpClient client, string status, HashSet<string> ours, CancellationToken ct)
    {
        int count = 0;
        long chunks = 0;
        string? cursor = null;
        do
        {
            using var json = await GetPageAsync(client, status, 100, cursor, ct);
            foreach (var item in json.RootElement.GetProperty("items").EnumerateArray())
            {
                if (ours.Contains(item.GetProperty("id").GetString() ?? ""))
                {
                    count++;
                    chunks += item.GetProperty("chunkCount") is { ValueKind: JsonValueKind.Number } n ? n.GetInt64() : 0;
                }
            }

            cursor = json.RootElement.TryGetProperty("nextCursor", out var c) ? c.GetString() : null;
        }
        while (cursor is not null);
        return (count, chunks);
    }

    private static async Task<JsonDocument> GetPageAsync(HttpClient client, string status, int limit, string? cursor, CancellationToken ct)
    {
        var query = $"v1/documents?status={status}&limit={limit}" + (cursor is null ? "" : $"&cursor={Uri.EscapeDataString(cursor)}");
        using var response = await client.GetAsync(new Uri(query, UriKind.Relative), ct);
        response.EnsureSuccessStatusCode();
        return await JsonDocument.ParseAsync(await response.Content.ReadAsStreamAsync(ct), cancellationToken: ct);
    }

    private static double Percentile(double[] sorted, double p) =>
        sorted.Length == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Length) - 1, 0, sorted.Length - 1)];
}

public sealed record UploadReport(
    int Documents, int Accepted, int Duplicates, int UploadErrors, int Ready, int Failed, long Chunks, bool Settled,
    double UploadSeconds, double TotalSeconds, double DocumentsPerSecond, double ChunksPerSecond,
    double UploadP50Ms, double UploadP99Ms, IReadOnlyList<string> Errors,
    IReadOnlyList<double> SettlingJitSeconds, double TimedJitSeconds);
