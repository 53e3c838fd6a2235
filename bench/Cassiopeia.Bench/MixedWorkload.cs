using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;

namespace Cassiopeia.Bench;

/// <summary>
/// The authenticated mix of a working day, request by request: reads 60% (the document list, one
/// document, its chunks, the caller), searches 25%, asks on the offline path 10% and uploads 5%.
/// Request i takes slot i mod 20 of a fixed table, so every window of 20 requests holds the exact
/// mix; texts and queries rotate through the corpus so no two neighbouring requests are the same.
/// Each kind keeps its own latency histogram (service time: from send to the last byte).
/// </summary>
public sealed class MixedWorkload : IRequestSender, IDisposable
{
    public const string Reads = "read";
    public const string Searches = "search";
    public const string Asks = "ask";
    public const string Uploads = "upload";

    // 12 reads, 5 searches, 2 asks, 1 upload in 20: 60/25/10/5.
    private static readonly string[] Slots =
    [
        Reads, Searches, Reads, Reads, Searches, Reads, Asks, Reads, Searches, Reads,
        Reads, Searches, Uploads, Reads, Reads, Searches, Reads, Asks, Reads, Reads,
    ];

    private readonly HttpClient _client;
    private readonly Uri _base;
    private readonly AuthenticationHeaderValue _auth;
    private readonly IReadOnlyList<string> _documentIds;
    private readonly IReadOnlyList<string> _queries;
    private readonly IReadOnlyList<string> _texts;
    private readonly string _runId = Guid.NewGuid().ToString("N")[..8];
    private long _sent;

    public MixedWorkload(Uri baseAddress, string token, IReadOnlyList<string> documentIds, IReadOnlyList<string> queries, IReadOnlyList<string> texts, int connections)
    {
        if (documentIds.Count == 0 || queries.Count == 0 || texts.Count == 0)
        {
            throw new ArgumentException("The mix needs documents, queries and texts.");
        }

        _base = baseAddress;
        _auth = new AuthenticationHeaderValue("Bearer", token);
        _documentIds = documentIds;
        _queries = queries;
        _texts = texts;
        _client = new HttpClient(BenchHttp.Handler(connections, TimeSpan.FromSeconds(5)))
        { Timeout = TimeSpan.FromSeconds(30) };
    }

    /// <summary>Service time and errors of each kind of request since the last <see cref="ResetKinds"/>.</summary>
    public IReadOnlyDictionary<string, RunStats> Kinds { get; private set; } = NewKinds();

    public static IReadOnlyList<string> KindNames { get; } = [Reads, Searches, Asks, Uploads];

    public void ResetKinds() => Kinds = NewKinds();

    public async Task<string?> SendAsync(CancellationToken ct)
    {
        var i = Interlocked.Increment(ref _sent) - 1;
        var kind = Slots[i % Slots.Length];
        var stats = Kinds[kind];
        var start = System.Diagnostics.Stopwatch.GetTimestamp();
        string? error;
        try
        {
            using var request = Build(kind, i);
            request.Headers.Authorization = _auth;
            using var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
            await response.Content.CopyToAsync(Stream.Null, ct);
            error = response.IsSuccessStatusCode ? null : $"{kind} {(int)response.StatusCode}";
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            throw;
        }
        catch (Exception e) when (e is HttpRequestException or IOException or TaskCanceledException)
        {
            error = $"{kind} {e.GetType().Name}";
        }

        stats.RecordOutcome(error, start);
        return error;
    }

    private HttpRequestMessage Build(string kind, long i)
    {
        var document = _documentIds[(int)(i % _documentIds.Count)];
        var query = _queries[(int)(i % _queries.Count)];
        return kind switch
        {
            Reads => (i / Slots.Length % 4) switch
            {
                0 => Get("v1/documents?limit=20"),
                1 => Get($"v1/documents/{document}"),
                2 => Get($"v1/documents/{document}/chunks"),
                _ => Get("v1/me"),
            },
            Searches => Post("v1/search", JsonSerializer.Serialize(new { query, topK = 10 })),
            Asks => Post("v1/ask", JsonSerializer.Serialize(new { question = query, topK = 5 })),
            _ => Upload(i),
        };
    }

    private HttpRequestMessage Get(string path) => new(HttpMethod.Get, new Uri(_base, path)) { Version = HttpVersion.Version11 };

    private HttpRequestMessage Post(string path, string json) => new(HttpMethod.Post, new Uri(_base, path))
    {
        Version = HttpVersion.Version11,
        Content = new StringContent(json, Encoding.UTF8, "application/json"),
    };

    /// <summary>A small note of corpus text with a unique first line, so it is never a duplicate.</summary>
    private HttpRequestMessage Upload(long i)
    {
        var text = $"Note {_runId}-{i.ToString(CultureInfo.InvariantCulture)}\n\n{_texts[(int)(i % _texts.Count)]}\n";
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(text));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
        var form = new MultipartFormDataContent { { file, "file", $"note-{i}.txt" }, { new StringContent("other"), "kind" } };
        return new HttpRequestMessage(HttpMethod.Post, new Uri(_base, "v1/documents")) { Version = HttpVersion.Version11, Content = form };
    }

    private static Dictionary<string, RunStats> NewKinds() => KindNames.ToDictionary(k => k, _ => new RunStats(), StringComparer.Ordinal);

    public void Dispose() => _client.Dispose();
}
