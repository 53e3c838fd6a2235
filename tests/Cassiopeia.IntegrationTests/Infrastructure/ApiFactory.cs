using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// The real application (Program) on a test database, with a controllable clock. It serves the API
/// only (no ingestion workers) unless <paramref name="settings"/> say otherwise, so tests of other
/// features see documents stay as uploaded.
/// </summary>
public sealed class ApiFactory(TestDatabase database, IReadOnlyDictionary<string, string?>? settings = null) : WebApplicationFactory<Program>
{
    public const string AllowedOrigin = "https://app.example.test";
    public const int MaxFileBytes = 1024 * 1024;

    public MovableClock Time { get; } = new();

    public CapturedLogs Logs { get; } = new();

    /// <summary>Settings a test changes while the application runs (plans, limits, prices).</summary>
    public ReloadableSettings Settings { get; } = new();

    /// <summary>
    /// The plans organizations start on (free, trial), with limits and request rates no test of another
    /// feature reaches: tests sign up many users from one address and upload dozens of documents. Quota
    /// and rate-limit tests set tight limits of their own.
    /// </summary>
    public static IReadOnlyDictionary<string, string?> GenerousLimits { get; } = new[] { "free", "trial" }
        .SelectMany(plan => Cassiopeia.Core.Billing.Metrics.All.Select(m => ($"Billing:Plans:{plan}:Limits:{m}", "1000000000"))
            .Append(($"Billing:Plans:{plan}:RequestsPerMinute", "1000000")))
        .Concat([("RateLimiting:Auth:PermitLimit", "1000000"), ("RateLimiting:Callers:PermitLimit", "1000000"), ("RateLimiting:Anonymous:PermitLimit", "1000000")])
        .ToDictionary(p => p.Item1, p => (string?)p.Item2, StringComparer.Ordinal);

    public TestDatabase Database => database;

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Production");
        builder.UseSetting("Cassiopeia:DataDirectory", database.DataDirectory);
        builder.UseSetting("Database:Provider", database.Provider);
        if (database.ConnectionString is not null)
        {
            builder.UseSetting("Database:ConnectionString", database.ConnectionString);
        }

        builder.UseSetting("Http:CorsOrigins:0", AllowedOrigin);
        builder.UseSetting("Documents:MaxFileBytes", MaxFileBytes.ToString(System.Globalization.CultureInfo.InvariantCulture));
        builder.UseSetting("Cassiopeia:Role", "api");
        builder.UseSetting("Embeddings:Provider", "lexical");
        foreach (var (key, value) in GenerousLimits)
        {
            builder.UseSetting(key, value);
        }

        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureAppConfiguration((_, configuration) => configuration.Add(Settings));
        builder.ConfigureLogging(l => l.AddProvider(Logs).SetMinimumLevel(LogLevel.Debug));
        builder.ConfigureServices(s =>
        {
            s.AddSingleton<TimeProvider>(Time);
            s.AddSingleton<Microsoft.AspNetCore.Hosting.IStartupFilter, ThrowingEndpointFilter>();
        });
    }
}
