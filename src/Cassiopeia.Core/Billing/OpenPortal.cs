using Cassiopeia.Core.Common;

namespace Cassiopeia.Core.Billing;

public sealed record PortalResponse(string Url);

/// <summary>Opens the billing portal of the configured provider for the current organization.</summary>
public sealed class OpenPortal(IBillingProvider provider)
{
    public async Task<Result<PortalResponse>> HandleAsync(CancellationToken ct)
    {
        var url = await provider.CreatePortalAsync(ct);
        return url.Succeeded ? new PortalResponse(url.Value!) : url.Error!;
    }
}
