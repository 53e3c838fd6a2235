using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.Core.Usage;

/// <summary>Records usage as the metric <c>cassiopeia.ai.tokens</c> (by operation, model and direction) and a log line.</summary>
public sealed partial class MeteredUsageRecorder : IUsageRecorder, IDisposable
{
    public const string MeterName = "Cassiopeia.Usage";

    private readonly Meter _meter;
    private readonly Counter<long> _tokens;
    private readonly Counter<long> _requests;
    private readonly ILogger<MeteredUsageRecorder> _logger;

    public MeteredUsageRecorder(IMeterFactory meters, ILogger<MeteredUsageRecorder> logger)
    {
        _logger = logger;
        _meter = meters.Create(MeterName);
        _tokens = _meter.CreateCounter<long>("cassiopeia.ai.tokens", "{token}", "Model tokens consumed, by operation, model and direction (input, output).");
        _requests = _meter.CreateCounter<long>("cassiopeia.ai.requests", "{request}", "Requests that reached a model, by operation and model.");
    }

    public ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken)
    {
        var operation = new KeyValuePair<string, object?>("operation", record.Operation);
        var model = new KeyValuePair<string, object?>("model", record.Model);
        _tokens.Add(record.Tokens.InputTokens, operation, model, new("direction", "input"));
        _tokens.Add(record.Tokens.OutputTokens, operation, model, new("direction", "output"));
        _requests.Add(1, operation, model);
        LogUsage(_logger, record.Operation, record.Model, record.OrganizationId, record.UserId, record.ApiKeyId, record.Tokens.InputTokens, record.Tokens.OutputTokens, record.Tokens.Estimated);
        return ValueTask.CompletedTask;
    }

    public void Dispose() => _meter.Dispose();

    [LoggerMessage(Level = LogLevel.Information, Message = "Usage: {Operation} on {Model} for organization {OrganizationId} (user {UserId}, key {ApiKeyId}): {InputTokens} input and {OutputTokens} output tokens (estimated: {Estimated})")]
    private static partial void LogUsage(ILogger logger, string operation, string model, string organizationId, string? userId, string? apiKeyId, long inputTokens, long outputTokens, bool estimated);
}
