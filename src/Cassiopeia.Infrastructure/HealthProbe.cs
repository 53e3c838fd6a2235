using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Cassiopeia.Infrastructure;

/// <summary>
/// A readiness check that runs one probe of an outside service within <see cref="Timeout"/>: Healthy
/// when it returns, Unhealthy with <c>description</c> when it fails in a way the caller names as
/// "unreachable" or runs out of time. The reason goes to the health log, never to the response body
/// (which shows the status only).
/// </summary>
internal static class HealthProbe
{
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(5);

    public static async Task<HealthCheckResult> RunAsync(
        Func<CancellationToken, Task> probe, Func<Exception, bool> unreachable, string description, CancellationToken ct)
    {
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(Timeout);
            await probe(timeout.Token);
            return HealthCheckResult.Healthy();
        }
        catch (Exception e) when (e is OperationCanceledException || unreachable(e))
        {
            return HealthCheckResult.Unhealthy(description, e);
        }
    }
}
