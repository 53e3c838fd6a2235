using System.Globalization;
using System.Net;

namespace Cassiopeia.Bench;

/// <summary>Reads <c>--name value</c> pairs into <see cref="BenchOptions"/> and refuses anything unbounded or off-host.</summary>
public static class ArgumentParser
{
    public const string Usage = """
        Usage: Cassiopeia.Bench --url http://127.0.0.1:8091/v1/me [options]
          --url URL                repeatable: several are sent in turn, without end (one per node)
          --url-file path          one URL per line, sent in turn instead of --url (for resources used once,
                                   such as questions to answer); the run stops when they are used up
          --header "Name: value"   request header (repeatable)
          --method GET|POST        default GET
          --body '{...}'           request body (sent with --content-type, default application/json)
          --connections N          concurrent connections, 1..1024 (default 32)
          --duration S             measured seconds, 1..300 (default 15)
          --warmup S               unmeasured seconds before, 0..60 (default 3)
          --rate R                 open-loop: R requests/s on a fixed schedule (default: closed-loop)
          --max-requests N         stop after N measured requests
          --max-in-flight N        open-loop: drop (and count as errors) beyond N in flight (default 10000)
          --label text             name printed with the result
          --json                   print the result as one JSON object
        Only loopback targets are accepted.
        """;

    public static BenchOptions Parse(IReadOnlyList<string> args)
    {
        var urls = new List<string>();
        string? urlFile = null;
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        var headers = new List<KeyValuePair<string, string>>();
        var json = false;
        for (var i = 0; i < args.Count; i++)
        {
            var name = args[i];
            if (name == "--json")
            {
                json = true;
                continue;
            }

            if (!name.StartsWith("--", StringComparison.Ordinal) || i + 1 >= args.Count)
            {
                throw new ArgumentException($"Expected '--name value' at '{name}'.");
            }

            var value = args[++i];
            switch (name)
            {
                case "--url":
                    urls.Add(value);
                    break;
                case "--url-file":
                    urlFile = value;
                    break;
                case "--header":
                    headers.Add(ParseHeader(value));
                    break;
                default:
                    options[name] = value;
                    break;
            }
        }

        var targets = (urlFile is null ? (urls.Count > 0 ? urls : throw new ArgumentException("--url or --url-file is required."))
                : File.ReadAllLines(urlFile).Where(l => l.Trim().Length > 0))
            .Select(u => new Uri(u.Trim(), UriKind.Absolute))
            .ToList();
        if (targets.Count == 0)
        {
            throw new ArgumentException($"{urlFile} holds no URL.");
        }

        if (targets.FirstOrDefault(t => !IsLoopback(t)) is { } offHost)
        {
            throw new ArgumentException($"Refusing non-loopback target '{offHost.Host}'.");
        }

        var target = targets[0];

        var result = new BenchOptions
        {
            Url = target,
            Urls = targets,
            Headers = headers,
            Json = json,
            Method = new HttpMethod(Take(options, "--method") ?? "GET"),
            Body = Take(options, "--body"),
            ContentType = Take(options, "--content-type") ?? "application/json",
            Label = Take(options, "--label") ?? target.AbsolutePath,
            Connections = Int(options, "--connections", 32, 1, BenchOptions.MaxConnections),
            DurationSeconds = Int(options, "--duration", 15, 1, BenchOptions.MaxDurationSeconds),
            WarmupSeconds = Int(options, "--warmup", 3, 0, 60),
            Rate = options.ContainsKey("--rate") ? Int(options, "--rate", 0, 1, BenchOptions.MaxRate) : null,
            MaxRequests = Math.Min(Int(options, "--max-requests", 50_000_000, 1, 50_000_000), urlFile is null ? long.MaxValue : targets.Count),
            MaxInFlight = Int(options, "--max-in-flight", 10_000, 1, 100_000),
        };
        if (options.Count > 0)
        {
            throw new ArgumentException($"Unknown option(s): {string.Join(", ", options.Keys)}.");
        }

        return result;
    }

    private static bool IsLoopback(Uri uri) =>
        uri.IsLoopback || (IPAddress.TryParse(uri.DnsSafeHost, out var address) && IPAddress.IsLoopback(address));

    private static KeyValuePair<string, string> ParseHeader(string value)
    {
        var colon = value.IndexOf(':', StringComparison.Ordinal);
        return colon <= 0
            ? throw new ArgumentException($"Header '{value}' is not 'Name: value'.")
            : new(value[..colon].Trim(), value[(colon + 1)..].Trim());
    }

    private static string? Take(Dictionary<string, string> options, string name) =>
        options.Remove(name, out var value) ? value : null;

    private static int Int(Dictionary<string, string> options, string name, int fallback, int min, int max)
    {
        var text = Take(options, name);
        if (text is null)
        {
            return fallback;
        }

        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max
            ? value
            : throw new ArgumentException($"{name} must be an integer in {min}..{max}, got '{text}'.");
    }
}
