using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;

namespace Cassiopeia.Bench;

/// <summary>
/// "sse-hold": opens N concurrent <c>GET /v1/documents/{id}/events</c> streams spread over the given
/// (not yet ingested) documents, waits until each has its first <c>status</c> event, samples the
/// server's RSS, then runs a shell command (which starts the ingestion worker) and waits until every
/// stream has received <c>ready</c> and ended. Prints a JSON summary on stdout.
/// </summary>
public static class SseHold
{
    public static async Task<int> RunAsync(string[] args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Length; i += 2)
        {
            values[args[i].TrimStart('-')] = args[i + 1];
        }

        var baseUrl = new Uri(values["url"].TrimEnd('/') + "/");
        var token = values["token"];
        var ids = File.ReadAllLines(values["ids-file"]).Where(l => l.Length > 0).ToArray();
        var count = int.Parse(values.GetValueOrDefault("connections", "10000"), CultureInfo.InvariantCulture);
        var pid = values.TryGetValue("server-pid", out var p) ? int.Parse(p, CultureInfo.InvariantCulture) : (int?)null;
        var then = values.GetValueOrDefault("then");
        var timeout = TimeSpan.FromSeconds(int.Parse(values.GetValueOrDefault("timeout", "300"), CultureInfo.InvariantCulture));

        using var client = new HttpClient(BenchHttp.Handler(int.MaxValue, TimeSpan.FromSeconds(30)))
        { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan };

        GC.Collect();
        var rssBefore = pid is { } before ? MixedLoad.ResidentMiB(before) : null;
        var connected = new CountdownEvent(count);
        var outcomes = new ConcurrentDictionary<string, int>(StringComparer.Ordinal);
        var readyLatency = new LatencyHistogram();
        long releasedAt = 0;
        using var cancel = new CancellationTokenSource(timeout);
        var opening = Stopwatch.StartNew();

        // Opened 200 at a time: a burst of 10,000 connects at once overflows the listen backlog.
        using var gate = new SemaphoreSlim(200);
        var streams = new Task[count];
        for (var i = 0; i < count; i++)
        {
            await gate.WaitAsync(cancel.Token);
            var id = ids[i % ids.Length];
            streams[i] = Task.Run(async () =>
            {
                var signalled = false;
                try
                {
                    using var request = new HttpRequestMessage(HttpMethod.Get, $"v1/documents/{id}/events") { Version = HttpVersion.Version11 };
                    request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                    request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("text/event-stream"));
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancel.Token);
                    if (!response.IsSuccessStatusCode)
                    {
                        outcomes.AddOrUpdate($"http {(int)response.StatusCode}", 1, (_, n) => n + 1);
                        return;
                    }

                    using var reader = new StreamReader(await response.Content.ReadAsStreamAsync(cancel.Token));
                    string? last = null;
                    while (await reader.ReadLineAsync(cancel.Token) is { } line)
                    {
                        if (!line.StartsWith("data:", StringComparison.Ordinal))
                        {
                            continue;
                        }

                        last = JsonNode.Parse(line[5..])?["status"]?.GetValue<string>();
                        if (!signalled)
                        {
                            signalled = true;
                            gate.Release();
                            connected.Signal();
                        }

                        if (last is "ready" && Interlocked.Read(ref releasedAt) is var t and > 0)
                        {
                            readyLatency.RecordSince(t);
                        }
                    }

                    outcomes.AddOrUpdate(last ?? "no event", 1, (_, n) => n + 1);
                }
                catch (Exception e) when (e is HttpRequestException or IOException or OperationCanceledException)
                {
                    outcomes.AddOrUpdate(e.GetType().Name, 1, (_, n) => n + 1);
                }
                finally
                {
                    if (!signalled)
                    {
                        gate.Release();
                        connected.Signal();
                    }
                }
            });
        }

        connected.Wait(cancel.Token);
        var openSeconds = opening.Elapsed.TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(2), cancel.Token);
        var rssHeld = pid is { } held ? MixedLoad.ResidentMiB(held) : null;
        Console.Error.WriteLine($"[{DateTime.UtcNow:HH:mm:ss}] {count} streams open in {openSeconds:0.0} s; server RSS {rssBefore} → {rssHeld} MiB");

        Interlocked.Exchange(ref releasedAt, Stopwatch.GetTimestamp());
        if (then is not null)
        {
            using var process = Process.Start("bash", ["-c", then]);
            await process.WaitForExitAsync(cancel.Token);
        }

        var waiting = Stopwatch.StartNew();
        await Task.WhenAll(streams);
        var summary = new JsonObject
        {
            ["connections"] = count,
            ["documents"] = ids.Length,
            ["openSeconds"] = Math.Round(openSeconds, 1),
            ["rssBeforeMiB"] = rssBefore,
            ["rssHeldMiB"] = rssHeld,
            ["rssPerConnectionKiB"] = rssBefore is { } b && rssHeld is { } h ? Math.Round((h - b) * 1024 / count, 1) : null,
            ["ready"] = outcomes.GetValueOrDefault("ready"),
            ["outcomes"] = new JsonObject(outcomes.Select(o => KeyValuePair.Create(o.Key, (JsonNode?)o.Value))),
            ["allEndedSeconds"] = Math.Round(waiting.Elapsed.TotalSeconds, 1),
            ["readyP50Ms"] = Math.Round(readyLatency.PercentileMilliseconds(0.5), 1),
            ["readyP99Ms"] = Math.Round(readyLatency.PercentileMilliseconds(0.99), 1),
            ["readyMaxMs"] = Math.Round(readyLatency.MaxMilliseconds, 1),
        };
        Console.WriteLine(summary.ToJsonString());
        return outcomes.GetValueOrDefault("ready") == count ? 0 : 1;
    }
}
