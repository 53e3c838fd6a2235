using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Cassiopeia.Proof;

/// <summary>Counts per category and every failure, as a Markdown table and a JSON summary.</summary>
public sealed class ProofReport(string mode)
{
    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    private readonly ConcurrentDictionary<string, CategoryCounts> _categories = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<ProofFailure> _failures = new();

    public string Mode => mode;

    public int Routes { get; set; }

    public bool HealthyAfter { get; set; }

    /// <summary>Tenant A's documents still queued or processing when the run ended (ingestion outlasting the wait, not a failure).</summary>
    public int StillIngesting { get; set; }

    public TimeSpan Duration { get; set; }

    public IReadOnlyList<ProofFailure> Failures => [.. _failures];

    public IReadOnlyList<CategoryCounts> Categories =>
        [.. _categories.Values.OrderBy(c => Order(c.Category)).ThenBy(c => c.Category, StringComparer.Ordinal)];

    public bool Passed => _failures.IsEmpty && HealthyAfter;

    public void Add(HostileCase c, Verdict verdict)
    {
        var counts = _categories.GetOrAdd(c.Category, name => new CategoryCounts(name));
        counts.Record(verdict);
        if (!verdict.Ok)
        {
            _failures.Enqueue(new ProofFailure(c.Category, c.Name, verdict.Status, verdict.Detail ?? ""));
        }
    }

    public void AddFailure(string category, string name, string detail)
    {
        _categories.GetOrAdd(category, n => new CategoryCounts(n)).Record(Verdict.Failed(0, detail));
        _failures.Enqueue(new ProofFailure(category, name, 0, detail));
    }

    public string ToMarkdown()
    {
        var text = new StringBuilder();
        text.AppendLine("| Category | Requests | 2xx/3xx (allowed) | 4xx | 5xx | Failures | Not sent |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|");
        foreach (var c in Categories)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"| {c.Category} | {c.Requests} | {c.Success} | {c.ClientErrors} | {c.ServerErrors} | {c.FailureCount} | {c.Skipped} |");
        }

        var all = Categories;
        text.AppendLine(CultureInfo.InvariantCulture, $"| **total** | {all.Sum(c => c.Requests)} | {all.Sum(c => c.Success)} | {all.Sum(c => c.ClientErrors)} | {all.Sum(c => c.ServerErrors)} | {all.Sum(c => c.FailureCount)} | {all.Sum(c => c.Skipped)} |");
        text.AppendLine();
        text.AppendLine(CultureInfo.InvariantCulture, $"{Routes} operations from /openapi/v1.json; {Duration.TotalSeconds:0.0} s; /health/ready after the run: {(HealthyAfter ? "200" : "not ready")}; " +
            $"cross-tenant reads: {_failures.Count(f => f.Category == Proof.Categories.CrossTenant)}; uploads still in ingestion at the end: {StillIngesting}.");
        foreach (var f in _failures.Take(50))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"- FAIL [{f.Category}] {f.Name} -> {f.Status}: {f.Detail}");
        }

        return text.ToString();
    }

    public string ToJson() => JsonSerializer.Serialize(
        new
        {
            mode,
            passed = Passed,
            routes = Routes,
            healthyAfter = HealthyAfter,
            stillIngesting = StillIngesting,
            seconds = Math.Round(Duration.TotalSeconds, 1),
            categories = Categories.Select(c => new { c.Category, c.Requests, success = c.Success, clientErrors = c.ClientErrors, serverErrors = c.ServerErrors, failures = c.FailureCount, notSent = c.Skipped }),
            failures = _failures,
        },
        JsonOptions);

    private static int Order(string category)
    {
        var index = Proof.Categories.All.ToList().IndexOf(category);
        return index < 0 ? int.MaxValue : index;
    }
}

/// <summary>Answers of one category.</summary>
public sealed class CategoryCounts(string category)
{
    private int _requests;
    private int _success;
    private int _clientErrors;
    private int _serverErrors;
    private int _failures;
    private int _skipped;

    public string Category => category;

    public int Requests => _requests;

    public int Success => _success;

    public int ClientErrors => _clientErrors;

    public int ServerErrors => _serverErrors;

    public int FailureCount => _failures;

    public int Skipped => _skipped;

    public void Record(Verdict verdict)
    {
        if (!verdict.Sent)
        {
            Interlocked.Increment(ref _skipped);
            return;
        }

        Interlocked.Increment(ref _requests);
        _ = verdict.Status switch
        {
            >= 500 => Interlocked.Increment(ref _serverErrors),
            >= 400 => Interlocked.Increment(ref _clientErrors),
            >= 200 => Interlocked.Increment(ref _success),
            _ => 0,
        };
        if (!verdict.Ok)
        {
            Interlocked.Increment(ref _failures);
        }
    }
}

/// <summary>One failed case: what was sent and what came back.</summary>
public sealed record ProofFailure(string Category, string Name, int Status, string Detail);
