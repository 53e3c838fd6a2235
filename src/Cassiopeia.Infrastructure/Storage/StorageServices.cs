using Amazon;
using Amazon.Runtime;
using Amazon.S3;
using Cassiopeia.Core.Storage;
using Cassiopeia.Infrastructure.Persistence;
using Cassiopeia.Infrastructure.Security;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Storage;

public static class StorageServices
{
    /// <summary>Registers the blob store chosen by <c>Storage:Provider</c>: encrypted local files (embedded) or S3 (scale-out).</summary>
    public static IServiceCollection AddBlobStorage(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>();
        var provider = configuration.GetSection(StorageOptions.SectionName).Get<StorageOptions>()?.Provider ?? StorageProvider.File;
        if (provider == StorageProvider.S3)
        {
            services.AddSingleton<IAmazonS3>(sp => CreateClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3));
            services.AddSingleton(sp => new S3BlobStore(
                sp.GetRequiredService<IAmazonS3>(), sp.GetRequiredService<IOptions<StorageOptions>>().Value.S3, sp.GetRequiredService<ILogger<S3BlobStore>>()));
            services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<S3BlobStore>());
            services.AddSingleton<IBlobStoreMaintenance>(sp => sp.GetRequiredService<S3BlobStore>());
            services.AddHealthChecks().AddCheck<S3StorageHealthCheck>("storage", tags: ["ready"]);
        }
        else
        {
            services.AddSingleton<EncryptedFileBlobStore>(sp =>
            {
                var options = sp.GetRequiredService<IOptions<StorageOptions>>().Value;
                var data = sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value;
                return new EncryptedFileBlobStore(options.Directory ?? data.Resolve("blobs"), MasterKeys(options, data), options.SegmentSize, ObjectTable(sp));
            });
            services.AddSingleton<IBlobStore>(sp => sp.GetRequiredService<EncryptedFileBlobStore>());
            services.AddSingleton<IBlobStoreMaintenance>(sp => sp.GetRequiredService<EncryptedFileBlobStore>());
        }

        services.AddSingleton(sp => new UrlSigner(
            UrlSigningKeys(sp.GetRequiredService<IOptions<StorageOptions>>().Value, sp.GetRequiredService<IOptions<DataDirectoryOptions>>().Value),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }

    /// <summary>
    /// Where small objects go as rows (<see cref="SqliteObjectTable"/>): the SQLite database of the
    /// embedded profile, unless <see cref="StorageOptions.InlineMaxBytes"/> is 0; null otherwise.
    /// </summary>
    internal static SqliteObjectTable? ObjectTable(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<StorageOptions>>().Value;
        return services.GetService<SqliteDatabase>() is { } database && options.InlineMaxBytes > 0
            ? new SqliteObjectTable(database.ConnectionString, options.InlineMaxBytes, services.GetService<SqliteCheckpointer>())
            : null;
    }

    /// <summary>
    /// An S3 client for the options. Flexible checksums only where the service requires them: SHA-256
    /// is computed here anyway, and several S3-compatible services reject the SDK's checksum trailers.
    /// </summary>
    public static AmazonS3Client CreateClient(S3StorageOptions options)
    {
        var config = new AmazonS3Config
        {
            ForcePathStyle = options.ForcePathStyle,
            RequestChecksumCalculation = RequestChecksumCalculation.WHEN_REQUIRED,
            ResponseChecksumValidation = ResponseChecksumValidation.WHEN_REQUIRED,
        };
        if (string.IsNullOrWhiteSpace(options.ServiceUrl))
        {
            config.RegionEndpoint = RegionEndpoint.GetBySystemName(options.Region);
        }
        else
        {
            config.ServiceURL = options.ServiceUrl;
            config.AuthenticationRegion = options.Region;
        }

        var accessKey = Secret(options.AccessKey, options.AccessKeyFile);
        var secretKey = Secret(options.SecretKey, options.SecretKeyFile);
        return accessKey is null || secretKey is null ? new AmazonS3Client(config) : new AmazonS3Client(new BasicAWSCredentials(accessKey, secretKey), config);
    }

    /// <summary>The master key ring: one key from configuration, else the ring file (created on first start).</summary>
    public static IReadOnlyList<RingKey> MasterKeys(StorageOptions options, DataDirectoryOptions data) =>
        string.IsNullOrWhiteSpace(options.MasterKey)
            ? KeyRingFile.LoadOrCreate(MasterKeysFile(options, data))
            : [new RingKey(options.MasterKeyId, Convert.FromBase64String(options.MasterKey))];

    /// <summary>The link-signing keys: one shared key from configuration, else the node's own ring file (created on first start).</summary>
    public static IReadOnlyList<RingKey> UrlSigningKeys(StorageOptions options, DataDirectoryOptions data) =>
        string.IsNullOrWhiteSpace(options.UrlSigningKey)
            ? KeyRingFile.LoadOrCreate(data.Resolve("keys", "url-signing-keys.json"))
            : [new RingKey(options.UrlSigningKeyId, Convert.FromBase64String(options.UrlSigningKey))];

    public static string MasterKeysFile(StorageOptions options, DataDirectoryOptions data) =>
        options.MasterKeysFile ?? data.Resolve("keys", "storage-master-keys.json");

    private static string? Secret(string? value, string? file) =>
        !string.IsNullOrWhiteSpace(value) ? value.Trim()
        : !string.IsNullOrWhiteSpace(file) ? File.ReadAllText(file).Trim()
        : null;

    private sealed class S3StorageHealthCheck(S3BlobStore store) : IHealthCheck
    {
        public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
            HealthProbe.RunAsync(
                store.CheckReachableAsync,
                e => e is AmazonServiceException or AmazonClientException or HttpRequestException,
                "The bucket is not reachable.",
                cancellationToken);
    }
}
