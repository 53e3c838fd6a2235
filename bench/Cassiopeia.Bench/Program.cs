using System.Globalization;
using Cassiopeia.Bench;

// Search benchmark helpers: "seed-search <db> <org> <user> <chunks> <dims>" and
// "search-recall <snapshot> <org> <model> <dims> <queries> <efSearch>...", "search-query <n>",
// "hnsw-lab <chunks> <dims> [options]" (the graph in-process, see HnswLab).
static int Number(string text) => int.Parse(text, CultureInfo.InvariantCulture);
if (args is ["seed-search", var database, var organization, var user, var chunks, var dimensions])
{
    return await SearchSeeder.RunAsync(database, organization, user, Number(chunks), Number(dimensions));
}

if (args is ["mixed", ..])
{
    return await MixedLoad.RunAsync(args);
}

if (args is ["sse-hold", ..])
{
    return await SseHold.RunAsync(args);
}

if (args is ["hnsw-lab", .. var lab])
{
    return HnswLab.Run(lab);
}

if (args is ["search-query", var n])
{
    Console.WriteLine(new SearchCorpus().Query(Number(n)));
    return 0;
}

if (args is ["search-recall", var snapshot, var org, var model, var dims, var queries, .. var efs] && efs.Length > 0)
{
    return SearchRecall.Run(snapshot, org, model, Number(dims), Number(queries), efs.Select(Number).ToArray());
}

BenchOptions options;
try
{
    options = ArgumentParser.Parse(args);
}
catch (Exception e) when (e is ArgumentException or UriFormatException or FormatException)
{
    await Console.Error.WriteLineAsync(e.Message + Environment.NewLine + ArgumentParser.Usage);
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};

using var sender = new RequestSender(options);
Func<TimeSpan, CancellationToken, Task<RunStats>> run = options.Rate is { } rate
    ? new OpenLoopRunner(sender, rate, options.MaxRequests, options.MaxInFlight).RunAsync
    : new ClosedLoopRunner(sender, options.Connections, options.MaxRequests).RunAsync;

if (options.WarmupSeconds > 0)
{
    await run(TimeSpan.FromSeconds(options.WarmupSeconds), cancel.Token);
}

var result = BenchResult.From(options, await run(TimeSpan.FromSeconds(options.DurationSeconds), cancel.Token));
Console.WriteLine(options.Json ? result.ToJson() : result.ToText());
return result.Requests > result.Errors ? 0 : 1;
