using Microsoft.Extensions.Options;

namespace Cassiopeia.Infrastructure.Storage;

/// <summary>Start-up checks of the S3 settings, which data annotations on the nested section cannot express.</summary>
internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        if (!string.IsNullOrWhiteSpace(options.UrlSigningKey) && !IsKey(options.UrlSigningKey))
        {
            return ValidateOptionsResult.Fail("Storage:UrlSigningKey must be base64 of at least 32 bytes (e.g. openssl rand -base64 32).");
        }

        if (options.UrlSigningKeyId is not { Length: > 0 and <= 32 } id || !id.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'))
        {
            return ValidateOptionsResult.Fail("Storage:UrlSigningKeyId must be 1 to 32 ASCII letters, digits, '-' or '_'.");
        }

        if (options.Provider != StorageProvider.S3)
        {
            return ValidateOptionsResult.Success;
        }

        var s3 = options.S3;
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(s3.Bucket))
        {
            failures.Add("Storage:S3:Bucket is required when Storage:Provider is S3.");
        }

        if (s3.ServiceUrl is { Length: > 0 } url && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            failures.Add("Storage:S3:ServiceUrl must be an absolute http(s) URL.");
        }

        if (s3.ServerSideEncryption is not ("None" or "AES256" or "aws:kms"))
        {
            failures.Add("Storage:S3:ServerSideEncryption must be None, AES256 or aws:kms.");
        }

        if (s3.KmsKeyId is { Length: > 0 } && s3.ServerSideEncryption != "aws:kms")
        {
            failures.Add("Storage:S3:KmsKeyId applies only with ServerSideEncryption aws:kms.");
        }

        if (s3.PartSize is < 5 * 1024 * 1024 or > 512 * 1024 * 1024)
        {
            failures.Add("Storage:S3:PartSize must be between 5 MiB (S3's smallest part) and 512 MiB.");
        }

        if (s3.Prefix.Length > 0 && (!s3.Prefix.EndsWith('/') || s3.Prefix.StartsWith('/')))
        {
            failures.Add("Storage:S3:Prefix must end with '/' and not start with one (e.g. cassiopeia/).");
        }

        foreach (var (file, setting) in new[] { (s3.AccessKeyFile, "AccessKeyFile"), (s3.SecretKeyFile, "SecretKeyFile") })
        {
            if (file is { Length: > 0 } && !File.Exists(file))
            {
                failures.Add($"Storage:S3:{setting} {file} does not exist.");
            }
        }

        var hasKey = !string.IsNullOrWhiteSpace(s3.AccessKey) || !string.IsNullOrWhiteSpace(s3.AccessKeyFile);
        var hasSecret = !string.IsNullOrWhiteSpace(s3.SecretKey) || !string.IsNullOrWhiteSpace(s3.SecretKeyFile);
        if (hasKey != hasSecret)
        {
            failures.Add("Storage:S3: give both an access key and a secret key, or neither (the SDK's default credentials).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsKey(string base64)
    {
        var bytes = new byte[base64.Length];
        return Convert.TryFromBase64String(base64.Trim(), bytes, out var length) && length >= 32;
    }
}
