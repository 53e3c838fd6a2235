using Cassiopeia.Bench;

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
