using System.IO.Compression;
using Cassiopeia.Api.Auth;
using Cassiopeia.Api.Features.ApiKeys;
using Cassiopeia.Api.Features.Ask;
using Cassiopeia.Api.Features.Audit;
using Cassiopeia.Api.Features.Auth;
using Cassiopeia.Api.Features.Billing;
using Cassiopeia.Api.Features.Documents;
using Cassiopeia.Api.Features.Interviews;
using Cassiopeia.Api.Features.Me;
using Cassiopeia.Api.Features.Organizations;
using Cassiopeia.Api.Features.Search;
using Cassiopeia.Api.Features.Usage;
using Cassiopeia.Api.Http;
using Cassiopeia.Api.Observability;
using Cassiopeia.Api.RateLimiting;
using Cassiopeia.Core;
using Cassiopeia.Infrastructure;
using Cassiopeia.Infrastructure.Ai.Chat;
using Cassiopeia.Infrastructure.Ai.Embeddings;
using Cassiopeia.Infrastructure.Billing;
using Cassiopeia.Infrastructure.Caching;
using Cassiopeia.Infrastructure.Persistence;
using Cassiopeia.Infrastructure.Redis;
using Cassiopeia.Infrastructure.Security;
using Cassiopeia.Infrastructure.Storage;
using Cassiopeia.Infrastructure.TextExtraction;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.ResponseCompression;
using Scalar.AspNetCore;

namespace Cassiopeia.Api;

/// <summary>Composition of the web host: services, then the middleware order, then the route table.</summary>
public static class ApiHost
{
    public const string DefaultUrl = "http://localhost:8080";

    public static WebApplicationBuilder AddCassiopeiaApi(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddOptions<HttpApiOptions>().BindConfiguration(HttpApiOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<DataDirectoryOptions>().BindConfiguration(DataDirectoryOptions.SectionName);
        var http = builder.Configuration.GetSection(HttpApiOptions.SectionName).Get<HttpApiOptions>() ?? new HttpApiOptions();
        builder.Host.ConfigureHostOptions(o => o.ShutdownTimeout = http.ShutdownTimeout);
        builder.WebHost.ConfigureKestrel(o => o.AddServerHeader = false);

        var dataDirectory = builder.Configuration.GetSection(DataDirectoryOptions.SectionName).Get<DataDirectoryOptions>() ?? new DataDirectoryOptions();
        var dataProtection = services.AddDataProtection().SetApplicationName("cassiopeia");
        if (!builder.Configuration.IsRedisConfigured())
        {
            // Scale-out: AddRedis keeps the key ring in Redis instead, so every node reads what another protected.
            dataProtection.PersistKeysToFileSystem(OwnerOnlyDirectory.Create(dataDirectory.Resolve("keys", "data-protection")));
        }

        var role = ProcessRoleOptions.From(builder.Configuration);
        services.AddSingleton(role);
        services.AddRedis(builder.Configuration);
        services.AddCaching(builder.Configuration);
        if (!builder.Configuration.IsRedisConfigured())
        {
            // Without Redis only a process that does everything sees every change as an event.
            services.AddSingleton<Core.Ingestion.IDocumentEventChannel>(new Core.Ingestion.InProcessDocumentEventChannel(onlyProcess: role.Role == ProcessRole.All));
        }

        builder.AddCassiopeiaTelemetry();
        services.AddCassiopeiaCore();
        services.AddPersistence(builder.Configuration);
        services.AddBlobStorage(builder.Configuration);
        services.AddEmbeddings(builder.Configuration);
        services.AddChat(builder.Configuration);
        services.AddTextExtraction();
        services.AddBilling(builder.Configuration);
        services.AddCassiopeiaAuthentication();
        services.AddCassiopeiaAuthorization();
        services.AddCassiopeiaProblems();
        services.AddCassiopeiaHealth();
        services.AddCassiopeiaRateLimiting(builder.Configuration);
        services.AddHostedService<IdempotencyJanitor>();
        if (role.RunsWorkers)
        {
            services.AddHostedService<Core.Jobs.IngestionWorker>();
        }

        services.AddSingleton<UploadJanitor>();
        services.AddHostedService(sp => sp.GetRequiredService<UploadJanitor>());
        services.AddOpenApi(o => o.AddDocumentTransformer<BearerSecurityTransformer>());
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
        services.ConfigureHttpJsonOptions(o =>
        {
            o.SerializerOptions.MaxDepth = 32;
            o.SerializerOptions.AllowDuplicateProperties = false;
        });
        services.AddResponseCompression(o =>
        {
            // Off for HTTPS (BREACH: responses carry tokens); TLS-terminating proxies compress instead.
            o.EnableForHttps = false;
            o.Providers.Add<BrotliCompressionProvider>();
            o.Providers.Add<GzipCompressionProvider>();
            o.MimeTypes = ResponseCompressionDefaults.MimeTypes.Concat(["application/problem+json"]);
        });
        services.Configure<BrotliCompressionProviderOptions>(o => o.Level = CompressionLevel.Fastest);
        services.AddCors(o => o.AddDefaultPolicy(p => p.WithOrigins(http.CorsOrigins).AllowAnyHeader().AllowAnyMethod()
            .WithExposedHeaders(RequestIdMiddleware.HeaderName, "ETag", "Location", "Retry-After")));
        services.Configure<ForwardedHeadersOptions>(o =>
        {
            // The client address decides rate-limit partitions: X-Forwarded-For counts only from the configured proxies.
            o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
            o.KnownProxies.Clear();
            o.KnownIPNetworks.Clear();
            foreach (var proxy in http.ForwardedProxies is { Length: > 0 } proxies ? proxies : ["127.0.0.0/8", "::1"])
            {
                o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(proxy.Contains('/', StringComparison.Ordinal) ? proxy : proxy + (proxy.Contains(':', StringComparison.Ordinal) ? "/128" : "/32")));
            }
        });
        return builder;
    }

    public static WebApplication UseCassiopeiaApi(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseMiddleware<RequestIdMiddleware>();
        app.UseMiddleware<SecurityHeadersMiddleware>();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseResponseCompression();
        app.UseCors();
        app.UseRouting();
        app.UseMiddleware<RequestBodyLimitMiddleware>();
        app.UseAuthentication();
        app.UseMiddleware<CallerMiddleware>();
        app.UseCassiopeiaRateLimiting();
        app.UseAuthorization();
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapHealthEndpoints();
        app.MapPrometheusScrapingEndpoint("/metrics").DisableRateLimiting();
        if (!app.Services.GetRequiredService<ProcessRoleOptions>().ServesApi)
        {
            return app; // A worker process answers health and metrics only.
        }

        app.MapOpenApi("/openapi/{documentName}.json");
        app.MapScalarApiReference("/docs");
        app.MapAuthEndpoints();
        app.MapMeEndpoints();
        app.MapApiKeyEndpoints();
        app.MapMemberEndpoints();
        app.MapAuditEndpoints();
        app.MapDocumentEndpoints();
        app.MapSearchEndpoints();
        app.MapAskEndpoints();
        app.MapMatchEndpoints();
        app.MapInterviewEndpoints();
        app.MapPromptEndpoints();
        app.MapFeedbackEndpoints();
        app.MapUsageEndpoints();
        app.MapBillingEndpoints();
        return app;
    }
}
