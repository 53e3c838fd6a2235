using System.Diagnostics;
using System.Globalization;
using Cassiopeia.Core.Ingestion;

namespace Cassiopeia.Infrastructure.TextExtraction;

/// <summary>
/// Runs one CPU-bound parse on the thread pool under the limits: the caller stops waiting at the
/// deadline (the parse itself stops at its next cancellation check), and a parser's own exception
/// on malformed input becomes a permanent failure with a readable reason.
/// </summary>
internal static class ExtractionRun
{
    public delegate int? Parse(Stream content, BlockCollector blocks, CancellationToken cancellationToken);

    public static async Task<ExtractedDocument> RunAsync(
        Stream content, ExtractionLimits limits, string unreadable, Parse parse, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var timeout = limits.EffectiveTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        var token = deadline.Token;
        var started = Stopwatch.GetTimestamp();
        try
        {
            var work = Task.Run(
                () =>
                {
                    content.Position = 0;
                    var blocks = new BlockCollector(limits, token);
                    var pages = parse(content, blocks, token);
                    return blocks.ToDocument(pages);
                },
                token);
            var document = await work.WaitAsync(token).ConfigureAwait(false);

            // The deadline's timer can fire late on a busy machine, after the parse has finished: the
            // limit is on the time taken, so a parse that took longer fails the same way.
            return Stopwatch.GetElapsedTime(started) <= timeout ? document : throw TooSlow(timeout);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw TooSlow(timeout);
        }
        catch (Exception e) when (e is not (ExtractionFailedException or OperationCanceledException or OutOfMemoryException)
            && (e is not IOException || e is EndOfStreamException))
        {
            // Parsers fail on hostile or damaged input in many ways; the same bytes will fail again.
            // Storage I/O errors stay transient and propagate.
            throw new ExtractionFailedException(unreadable, e);
        }
    }

    private static ExtractionFailedException TooSlow(TimeSpan timeout)
    {
        var limit = timeout >= TimeSpan.FromSeconds(1)
            ? string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalSeconds:0.#} s")
            : string.Create(CultureInfo.InvariantCulture, $"{timeout.TotalMilliseconds:0} ms");
        return new ExtractionFailedException($"Reading the document took longer than {limit}, so it was stopped; it may be too large or too complex.");
    }
}
