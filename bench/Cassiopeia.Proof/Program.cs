using System.Globalization;
using System.Net;
using System.Text;
using Cassiopeia.Proof;

// Hostile-input proof: sends the corpus to a running service and exits non-zero on any failure.
//   dotnet Cassiopeia.Proof.dll --url http://127.0.0.1:8096 [--smoke] [--verbose] [--parallel 4] [--json out.json] [--markdown out.md]
var url = new Uri(Value("--url") ?? "http://127.0.0.1:8096");
var options = new ProofOptions
{
    Smoke = args.Contains("--smoke"),
    Verbose = args.Contains("--verbose"),
    Parallelism = int.Parse(Value("--parallel") ?? "4", CultureInfo.InvariantCulture),
    RawEndpoint = new DnsEndPoint(url.Host, url.Port),
};
// Latin-1 header values put raw bytes >= 0x80 on the wire: the invalid-UTF-8 header cases need exactly that.
using var handler = new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false, MaxConnectionsPerServer = 16, RequestHeaderEncodingSelector = (_, _) => Encoding.Latin1 };
using var client = new HttpClient(handler) { BaseAddress = url, Timeout = Timeout.InfiniteTimeSpan };
var report = await new ProofRunner(client, options, Console.Error).RunAsync(CancellationToken.None);
Console.Error.WriteLine(report.ToMarkdown());
if (Value("--json") is { } json)
{
    await File.WriteAllTextAsync(json, report.ToJson());
}

if (Value("--markdown") is { } markdown)
{
    await File.WriteAllTextAsync(markdown, report.ToMarkdown());
}

Console.WriteLine(report.ToJson());
return report.Passed ? 0 : 1;

string? Value(string name)
{
    var index = Array.IndexOf(args, name);
    return index >= 0 && index + 1 < args.Length ? args[index + 1] : null;
}
