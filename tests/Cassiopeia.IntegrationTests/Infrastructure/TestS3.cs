using Amazon.S3;
using Amazon.S3.Model;
using Cassiopeia.Infrastructure.Storage;

namespace Cassiopeia.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh bucket on the S3-protocol server that scripts/test.sh starts (s3rver; its endpoint in
/// CASSIOPEIA_TEST_S3, credentials S3RVER/S3RVER). Without the server the S3 tests fail, never skip.
/// </summary>
public sealed class TestS3
{
    public const string Variable = "CASSIOPEIA_TEST_S3";
    public const int PartSize = 5 * 1024 * 1024;

    private TestS3(S3StorageOptions options, AmazonS3Client client)
    {
        Options = options;
        Client = client;
    }

    public S3StorageOptions Options { get; }

    public AmazonS3Client Client { get; }

    public string Bucket => Options.Bucket!;

    /// <summary>The application settings that select this bucket.</summary>
    public IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>
    {
        ["Storage:Provider"] = "S3",
        ["Storage:S3:ServiceUrl"] = Options.ServiceUrl,
        ["Storage:S3:Bucket"] = Options.Bucket,
        ["Storage:S3:Prefix"] = Options.Prefix,
        ["Storage:S3:ForcePathStyle"] = "true",
        ["Storage:S3:AccessKey"] = Options.AccessKey,
        ["Storage:S3:SecretKey"] = Options.SecretKey,
        ["Storage:S3:PartSize"] = PartSize.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public static async Task<TestS3> CreateAsync(string prefix = "")
    {
        var endpoint = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(endpoint))
        {
            throw new InvalidOperationException($"{Variable} is not set: run the suite with scripts/test.sh, which starts the S3 test server.");
        }

        var options = new S3StorageOptions
        {
            ServiceUrl = endpoint,
            Bucket = "cassiopeia-" + Guid.NewGuid().ToString("N")[..12],
            Prefix = prefix,
            ForcePathStyle = true,
            AccessKey = "S3RVER",
            SecretKey = "S3RVER",
            PartSize = PartSize,
        };
        var client = StorageServices.CreateClient(options);
        await client.PutBucketAsync(new PutBucketRequest { BucketName = options.Bucket });
        return new TestS3(options, client);
    }

    /// <summary>Every key in the bucket (stored objects, staged uploads).</summary>
    public async Task<string[]> KeysAsync()
    {
        var keys = new List<string>();
        var request = new ListObjectsV2Request { BucketName = Bucket };
        ListObjectsV2Response page;
        do
        {
            page = await Client.ListObjectsV2Async(request);
            keys.AddRange((page.S3Objects ?? []).Select(o => o.Key));
            request.ContinuationToken = page.NextContinuationToken;
        }
        while (page.IsTruncated == true);

        return [.. keys];
    }

    /// <summary>Multipart uploads begun and neither completed nor aborted.</summary>
    public async Task<int> OpenMultipartUploadsAsync() =>
        (await Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = Bucket })).MultipartUploads?.Count ?? 0;
}
