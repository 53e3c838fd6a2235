using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;

namespace Cassiopeia.Proof;

/// <summary>How a proof run is shaped.</summary>
public sealed record ProofOptions
{
    /// <summary>A deterministic sample of each category (cross-tenant stays whole): the CI smoke.</summary>
    public bool Smoke { get; init; }

    /// <summary>Cases per category kept by <see cref="Smoke"/>.</summary>
    public int SmokeCasesPerCategory { get; init; } = 25;

    public int Parallelism { get; init; } = 4;

    /// <summary>Longer than this without an answer counts as a hang, which is a failure.</summary>
    public TimeSpan RequestTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How long tenant set-up waits for its documents to be ingested (API-only hosts never ingest).</summary>
    public TimeSpan SettleTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Logs every case with its answer, not only the failures.</summary>
    public bool Verbose { get; init; }

    /// <summary>The service's TCP endpoint for cases HttpClient cannot send; null (in-process hosts) skips them.</summary>
    public DnsEndPoint? RawEndpoint { get; init; }
}

/// <summary>
/// Sets up two tenants through the public API, sends the corpus, judges every answer and checks afterwards
/// that tenant B's data is unchanged and the service still answers /health/ready. Any 5xx, hang, dropped
/// connection, cross-tenant success or foreign data in a body is a failure.
/// </summary>
public sealed partial class ProofRunner(HttpClient client, ProofOptions options, TextWriter log)
{
    private const int MaxBodyBytes = 512 * 1024;

    /// <summary>Host files and internals that must never reach a client.</summary>
    private static readonly string[] Secrets = ["root:x:0:0", "\"ConnectionStrings\"", "   at Cassiopeia.", "   at System.", "[boot loader]"];

    public async Task<ProofReport> RunAsync(CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var report = new ProofReport(options.Smoke ? "smoke" : "full");
        using (var ready = await client.GetAsync("/health/ready", ct))
        {
            if (ready.StatusCode != HttpStatusCode.OK)
            {
                throw new InvalidOperationException($"the service is not ready before the run: {(int)ready.StatusCode}");
            }
        }

        var routes = await ApiRoute.DiscoverAsync(client, ct);
        report.Routes = routes.Count;
        log.WriteLine($"discovered {routes.Count} operations; setting up tenants A and B");
        var a = await Tenant.CreateAsync(client, "a", options.SettleTimeout, ct);
        var b = await Tenant.CreateAsync(client, "b", options.SettleTimeout, ct);
        var before = await SnapshotAsync(b, ct);

        var cases = new HostileCorpus(routes, a, b).All().ToList();
        if (options.Smoke)
        {
            cases = [.. cases.GroupBy(c => c.Category).SelectMany(g => g.Key == Categories.CrossTenant ? g : Sample([.. g], options.SmokeCasesPerCategory))];
        }

        log.WriteLine($"sending {cases.Count} hostile requests ({report.Mode})");
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = options.Parallelism, CancellationToken = ct };
        await Parallel.ForEachAsync(cases.Where(c => !c.Destructive), parallel, async (c, token) => Record(report, c, await JudgeAsync(c, a, b, token)));
        // Tenant A's own deletions (its key, its membership) would turn its later attempts on B into 401s: those go last.
        await Parallel.ForEachAsync(cases.Where(c => c.Destructive && c.Category == Categories.CrossTenant), parallel, async (c, token) => Record(report, c, await JudgeAsync(c, a, b, token)));
        await Parallel.ForEachAsync(cases.Where(c => c.Destructive && c.Category != Categories.CrossTenant), parallel, async (c, token) => Record(report, c, await JudgeAsync(c, a, b, token)));

        // Uploads are ingested after their 202: the bombs and corrupt files meet the extractors now.
        report.StillIngesting = await WaitForIngestionAsync(a, options.Smoke ? TimeSpan.FromSeconds(20) : TimeSpan.FromSeconds(120), ct);
        var after = await SnapshotAsync(b, ct);
        foreach (var (path, text) in before)
        {
            if (!after.TryGetValue(path, out var now) || now != text)
            {
                report.AddFailure(Categories.CrossTenant, $"B's data changed: GET {path}", $"before: {Clip(text)}; after: {Clip(now ?? "(missing)")}");
            }
        }

        using (var ready = await client.GetAsync("/health/ready", ct))
        {
            report.HealthyAfter = ready.StatusCode == HttpStatusCode.OK;
            if (!report.HealthyAfter)
            {
                report.AddFailure("service", "GET /health/ready after the run", $"{(int)ready.StatusCode}");
            }
        }

        report.Duration = clock.Elapsed;
        return report;
    }

    /// <summary>Waits until none of tenant A's documents is queued or processing; answers how many still are.</summary>
    private async Task<int> WaitForIngestionAsync(Tenant a, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        var pending = 0;
        do
        {
            pending = 0;
            foreach (var status in new[] { "queued", "processing" })
            {
                using var response = await client.SendAsync(a.Request(HttpMethod.Get, $"/v1/documents?status={status}&limit=100"), ct);
                if (response.IsSuccessStatusCode)
                {
                    pending += System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(ct)).RootElement.GetProperty("items").GetArrayLength();
                }
            }

            if (pending == 0)
            {
                return 0;
            }

            await Task.Delay(500, ct);
        }
        while (DateTime.UtcNow < deadline);
        return pending;
    }

    private void Record(ProofReport report, HostileCase c, Verdict verdict)
    {
        report.Add(c, verdict);
        if (options.Verbose)
        {
            lock (log)
            {
                log.WriteLine($"{(verdict.Ok ? "ok  " : "FAIL")} {verdict.Status,3} [{c.Category}] {c.Name}{(verdict.Detail is null ? "" : " :: " + Clip(verdict.Detail))}");
            }
        }
    }

    private static IEnumerable<HostileCase> Sample(List<HostileCase> cases, int count)
    {
        var step = Math.Max(1, (int)Math.Ceiling(cases.Count / (double)count));
        return cases.Where((_, i) => i % step == 0);
    }

    private async Task<Verdict> JudgeAsync(HostileCase c, Tenant a, Tenant b, CancellationToken ct)
    {
        int status;
        string body;
        if (c.Raw is not null && c.Build is null)
        {
            if (options.RawEndpoint is null)
            {
                return Verdict.Skipped("needs a TCP endpoint");
            }

            (status, body) = await SendRawAsync(c.Raw, ct);
        }
        else
        {
            HttpRequestMessage request;
            try
            {
                request = c.Build!();
            }
            catch (Exception e) when (e is FormatException or InvalidOperationException or ArgumentException)
            {
                return Verdict.Skipped("the client refuses to send it: " + e.GetType().Name);
            }

            using (request)
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct))
            {
                timeout.CancelAfter(options.RequestTimeout);
                try
                {
                    using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
                    status = (int)response.StatusCode;
                    body = await ReadSomeAsync(response, ct);
                }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested)
                {
                    return Verdict.Failed(0, $"no answer within {options.RequestTimeout.TotalSeconds:0} s");
                }
                catch (InvalidOperationException e) when (e.StackTrace?.Contains("TestHost.ClientHandler", StringComparison.Ordinal) == true)
                {
                    // The in-process test transport parses the URL itself (a %00 in a path) before any server code runs.
                    return Verdict.Skipped("the in-process transport refuses it: " + e.Message);
                }
                catch (HttpRequestException e)
                {
                    // Refusing to read an oversized body and closing the connection is the server's right;
                    // anything else, or a server that no longer answers, is a failure.
                    var alive = await AliveAsync(ct);
                    return alive && IsEarlyClose(e)
                        ? Verdict.Passed(0, "connection closed while the oversized request was still being sent")
                        : Verdict.Failed(0, $"connection error ({e.HttpRequestError}): {e.Message}; service alive: {alive}");
                }
            }
        }

        if (status >= 500)
        {
            return Verdict.Failed(status, Clip(body));
        }

        if (Secrets.FirstOrDefault(s => body.Contains(s, StringComparison.Ordinal)) is { } secret)
        {
            return Verdict.Failed(status, $"body holds '{secret.Trim()}': {Clip(body)}");
        }

        if (body.Contains(b.Marker, StringComparison.OrdinalIgnoreCase) || body.Contains(b.Email, StringComparison.OrdinalIgnoreCase))
        {
            return Verdict.Failed(status, $"tenant B's data in tenant A's answer: {Clip(body)}");
        }

        return c.Expectation switch
        {
            Expectation.Refused or Expectation.CrossTenant when status < 400 => Verdict.Failed(status, "accepted: " + Clip(body)),
            Expectation.NotFound when status != 404 => Verdict.Failed(status, "expected 404: " + Clip(body)),
            _ => Verdict.Passed(status),
        };
    }

    private static bool IsEarlyClose(HttpRequestException e) =>
        e.HttpRequestError is HttpRequestError.ResponseEnded or HttpRequestError.Unknown && e.InnerException is IOException;

    private async Task<bool> AliveAsync(CancellationToken ct)
    {
        try
        {
            using var response = await client.GetAsync("/health/live", ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
    }

    private static async Task<string> ReadSomeAsync(HttpResponseMessage response, CancellationToken ct)
    {
        // Event streams stay open until the document settles: read what comes within a few seconds.
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        var buffer = new byte[MaxBodyBytes];
        var read = 0;
        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(timeout.Token);
            int n;
            while (read < buffer.Length && (n = await stream.ReadAsync(buffer.AsMemory(read), timeout.Token)) > 0)
            {
                read += n;
            }
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            // An open stream: judge what arrived.
        }
        catch (IOException)
        {
            // The server ended a long body early; the status line already arrived.
        }

        return Encoding.UTF8.GetString(buffer, 0, read);
    }

    private async Task<(int Status, string Body)> SendRawAsync(byte[] bytes, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(options.RequestTimeout);
        try
        {
            using var socket = new TcpClient();
            await socket.ConnectAsync(options.RawEndpoint!.Host, options.RawEndpoint.Port, timeout.Token);
            var stream = socket.GetStream();
            await stream.WriteAsync(bytes, timeout.Token);
            using var reader = new MemoryStream();
            var buffer = new byte[8192];
            int n;
            while (reader.Length < MaxBodyBytes && (n = await stream.ReadAsync(buffer, timeout.Token)) > 0)
            {
                reader.Write(buffer, 0, n);
            }

            var text = Encoding.Latin1.GetString(reader.ToArray());
            var parts = text.Split(' ', 3);
            return parts.Length >= 2 && int.TryParse(parts[1], out var status) ? (status, text) : (599, "no status line: " + text);
        }
        catch (Exception e) when (e is IOException or SocketException or OperationCanceledException && !ct.IsCancellationRequested)
        {
            return (599, $"raw socket: {e.GetType().Name}: {e.Message}");
        }
    }

    /// <summary>Everything tenant B can read about itself; compared before and after tenant A's attempts.</summary>
    private async Task<Dictionary<string, string>> SnapshotAsync(Tenant b, CancellationToken ct)
    {
        List<string> paths = [$"/v1/documents/{b.CvDocumentId}", $"/v1/documents/{b.JdDocumentId}", "/v1/api-keys", $"/v1/api-keys/{b.ApiKeyId}", $"/v1/organizations/{b.OrganizationId}/members", "/v1/billing/subscription", "/v1/prompts"];
        if (b.PendingDocumentId is not null)
        {
            paths.Add($"/v1/documents/{b.PendingDocumentId}");
        }

        if (b.InterviewId is not null)
        {
            paths.Add($"/v1/interviews/{b.InterviewId}");
        }

        if (b.MatchId is not null)
        {
            paths.Add($"/v1/matches/{b.MatchId}");
        }

        var snapshot = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var path in paths)
        {
            using var response = await client.SendAsync(b.Request(HttpMethod.Get, path), ct);
            // Trace ids differ per request by design; everything else must be the same.
            var text = TraceIds().Replace(await response.Content.ReadAsStringAsync(ct), "");
            snapshot[path] = $"{(int)response.StatusCode} {text}";
        }

        return snapshot;
    }

    [GeneratedRegex("\"(traceId|requestId)\":\"[^\"]*\"")]
    private static partial Regex TraceIds();

    private static string Clip(string text)
    {
        var flat = text.ReplaceLineEndings(" ");
        return flat.Length <= 300 ? flat : flat[..300] + "…";
    }
}

/// <summary>The judgement of one answer.</summary>
public sealed record Verdict(bool Sent, bool Ok, int Status, string? Detail)
{
    public static Verdict Passed(int status, string? detail = null) => new(true, true, status, detail);

    public static Verdict Failed(int status, string detail) => new(true, false, status, detail);

    public static Verdict Skipped(string why) => new(false, true, 0, why);
}
