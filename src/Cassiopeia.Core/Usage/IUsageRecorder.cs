namespace Cassiopeia.Core.Usage;

/// <summary>
/// Where consumption goes after each request. The default (<see cref="MeteredUsageRecorder"/>)
/// counts tokens in metrics and logs one line; billing and quotas replace or decorate it to persist
/// records. Called once per request that reached a model, also when the answer failed midway.
/// </summary>
public interface IUsageRecorder
{
    ValueTask RecordAsync(UsageRecord record, CancellationToken cancellationToken);
}
