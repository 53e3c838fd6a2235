namespace Cassiopeia.Infrastructure.Storage;

/// <summary>S3-compatible object storage. Section <c>Storage:S3</c>.</summary>
public sealed class S3StorageOptions
{
    /// <summary>Endpoint of an S3-compatible service (MinIO, Ceph, R2…); unset for AWS S3 in <see cref="Region"/>.</summary>
    public string? ServiceUrl { get; set; }

    /// <summary>AWS region of the bucket (also the signing region for other services).</summary>
    public string Region { get; set; } = "us-east-1";

    public string? Bucket { get; set; }

    /// <summary>Prepended to every object key (e.g. <c>cassiopeia/</c>), so one bucket can serve several deployments.</summary>
    public string Prefix { get; set; } = "";

    /// <summary>Path-style addressing (<c>endpoint/bucket/key</c>), which most S3-compatible services need.</summary>
    public bool ForcePathStyle { get; set; }

    /// <summary>
    /// Access key id and secret from the environment (<c>Storage__S3__AccessKey</c>, <c>Storage__S3__SecretKey</c>)
    /// or mounted files (<see cref="AccessKeyFile"/>, <see cref="SecretKeyFile"/>). When none is set the
    /// SDK's default chain applies (task or instance role, web identity, <c>AWS_*</c> variables).
    /// </summary>
    public string? AccessKey { get; set; }

    public string? SecretKey { get; set; }

    public string? AccessKeyFile { get; set; }

    public string? SecretKeyFile { get; set; }

    /// <summary>Encryption at rest by the service: <c>None</c> (bucket default), <c>AES256</c> (SSE-S3) or <c>aws:kms</c> (SSE-KMS).</summary>
    public string ServerSideEncryption { get; set; } = "None";

    /// <summary>KMS key id or ARN for <c>aws:kms</c>; unset uses the account's <c>aws/s3</c> key.</summary>
    public string? KmsKeyId { get; set; }

    /// <summary>Bytes per part of a multipart upload (at least 5 MiB, S3's minimum); a write holds two parts in memory.</summary>
    public int PartSize { get; set; } = 8 * 1024 * 1024;

    /// <summary>Downloads redirect to a presigned GET of the bucket instead of streaming through the API.</summary>
    public bool PresignedDownloads { get; set; } = true;

    /// <summary>Direct uploads PUT to a presigned URL of the bucket instead of through the API.</summary>
    public bool PresignedUploads { get; set; } = true;
}
