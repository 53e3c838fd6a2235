using System.ComponentModel.DataAnnotations;

namespace Cassiopeia.Api.Http;

/// <summary>HTTP-level limits and browser access. Section <c>Http</c>.</summary>
public sealed class HttpApiOptions
{
    public const string SectionName = "Http";

    /// <summary>Largest request body accepted by endpoints that do not set their own limit (uploads do).</summary>
    [Range(1024, 1L << 40)]
    public long MaxRequestBodyBytes { get; set; } = 1 << 20;

    /// <summary>Origins allowed to call the API from a browser. Empty: no cross-origin access.</summary>
    public string[] CorsOrigins { get; set; } = [];

    /// <summary>
    /// Reverse proxies (addresses or CIDR networks) whose <c>X-Forwarded-For</c> and <c>X-Forwarded-Proto</c>
    /// are believed; from anyone else these headers are ignored. None set: loopback only (a proxy on the same host).
    /// </summary>
    public string[] ForwardedProxies { get; set; } = [];

    /// <summary>How long shutdown waits for in-flight requests to finish.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
