using System.Net;
using System.Security.Cryptography;
using System.Web;
using Amazon.S3.Model;
using Cassiopeia.Core.Storage;
using Cassiopeia.Infrastructure.Storage;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;

namespace Cassiopeia.IntegrationTests.Storage;

/// <summary>One bucket on the S3 test server for the class; keys under a prefix, as deployments use them.</summary>
public sealed class S3StoreFixture : IAsyncLifetime
{
    public TestS3 S3 { get; private set; } = null!;

    public S3BlobStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        S3 = await TestS3.CreateAsync(prefix: "tenant-docs/");
        Store = new S3BlobStore(S3.Client, S3.Options, NullLogger<S3BlobStore>.Instance);
    }

    public Task DisposeAsync()
    {
        S3.Client.Dispose();
        return Task.CompletedTask;
    }
}

public sealed class S3BlobStoreTests(S3StoreFixture fixture) : BlobStoreContractTests, IClassFixture<S3StoreFixture>
{
    private static readonly HttpClient Http = new();

    protected override IBlobStore Store => fixture.Store;

    private TestS3 S3 => fixture.S3;

    [Fact]
    public async Task Objects_larger_than_a_part_go_up_in_parts_and_read_back_identically()
    {
        var bytes = RandomNumberGenerator.GetBytes((2 * TestS3.PartSize) + 12_345);
        var (stored, requests) = await RecordingRequestsAsync(() => Store.WriteAsync("org_a/multi", new MemoryStream(bytes), long.MaxValue, default));

        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), stored.Sha256);
        Assert.Equal(["InitiateMultipartUploadRequest", "UploadPartRequest", "UploadPartRequest", "UploadPartRequest", "CompleteMultipartUploadRequest"], requests);
        await using var read = (await Store.OpenReadAsync("org_a/multi", default))!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
        Assert.Equal(0, await S3.OpenMultipartUploadsAsync());
    }

    [Fact]
    public async Task Exactly_one_part_is_a_single_put()
    {
        var bytes = RandomNumberGenerator.GetBytes(TestS3.PartSize);
        var (stored, requests) = await RecordingRequestsAsync(() => Store.WriteAsync("org_a/one-part", new MemoryStream(bytes), bytes.Length, default));

        Assert.Equal(bytes.Length, stored.Size);
        Assert.Equal(["PutObjectRequest"], requests);
        await using var read = (await Store.OpenReadAsync("org_a/one-part", default))!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task A_multipart_write_over_the_limit_is_aborted_and_leaves_no_object_or_upload()
    {
        var limit = (2 * TestS3.PartSize) + 10;
        var (_, requests) = await RecordingRequestsAsync(() => Assert.ThrowsAsync<BlobTooLargeException>(() => Store.WriteAsync("org_a/too-big", new MemoryStream(new byte[limit + 1]), limit, default)));

        Assert.Equal("AbortMultipartUploadRequest", requests[^1]);

        Assert.Null(await Store.OpenReadAsync("org_a/too-big", default));
        Assert.DoesNotContain("tenant-docs/org_a/too-big", await S3.KeysAsync());
        Assert.Equal(0, await S3.OpenMultipartUploadsAsync());
    }

    [Fact]
    public async Task A_write_cancelled_midway_leaves_no_object_or_upload()
    {
        using var cancel = new CancellationTokenSource();
        var source = new CancellingStream(RandomNumberGenerator.GetBytes(3 * TestS3.PartSize), cancelAfter: (2 * TestS3.PartSize) + 100, cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => Store.WriteAsync("org_a/cancelled", source, long.MaxValue, cancel.Token));

        Assert.Null(await Store.OpenReadAsync("org_a/cancelled", default));
        Assert.Equal(0, await S3.OpenMultipartUploadsAsync());
    }

    [Fact]
    public async Task A_presigned_get_serves_the_object_with_the_given_headers_and_ranges()
    {
        var bytes = RandomNumberGenerator.GetBytes(30_000);
        await Store.WriteAsync("org_a/presigned", new MemoryStream(bytes), long.MaxValue, default);
        var url = (await Store.GetDownloadUrlAsync("org_a/presigned", TimeSpan.FromMinutes(5), "application/pdf", "attachment; filename=cv.pdf", default))!;

        var query = HttpUtility.ParseQueryString(url.Query);
        Assert.InRange(int.Parse(query["X-Amz-Expires"]!, System.Globalization.CultureInfo.InvariantCulture), 299, 301);
        Assert.False(string.IsNullOrEmpty(query["X-Amz-Signature"]));
        var response = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(bytes, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal("application/pdf", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);

        using var ranged = new HttpRequestMessage(HttpMethod.Get, url);
        ranged.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1_000, 1_099);
        var partial = await Http.SendAsync(ranged);
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes.AsSpan(1_000, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_presigned_url_is_bound_to_its_key_and_expires()
    {
        await Store.WriteAsync("org_a/bound", new MemoryStream([1, 2, 3]), long.MaxValue, default);
        await Store.WriteAsync("org_a/other", new MemoryStream([4, 5, 6]), long.MaxValue, default);
        var url = (await Store.GetDownloadUrlAsync("org_a/bound", TimeSpan.FromSeconds(1), "text/plain", "attachment", default))!;

        var forged = new Uri(url.AbsoluteUri.Replace("org_a/bound", "org_a/other", StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(forged)).StatusCode);
        var signature = HttpUtility.ParseQueryString(url.Query)["X-Amz-Signature"]!;
        var tampered = new Uri(url.AbsoluteUri.Replace(signature, new string('0', signature.Length), StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.GetAsync(tampered)).StatusCode);

        await Task.Delay(TimeSpan.FromSeconds(3.1));
        var expired = await Http.GetAsync(url);
        Assert.Equal(HttpStatusCode.Forbidden, expired.StatusCode);
        Assert.Contains("expired", await expired.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_presigned_put_takes_exactly_the_signed_size()
    {
        var bytes = RandomNumberGenerator.GetBytes(1_000);
        var url = (await Store.GetUploadUrlAsync("org_a/put", bytes.Length, TimeSpan.FromMinutes(5), default))!;

        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PutAsync(url, new ByteArrayContent([.. bytes, 0]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await Http.PutAsync(url, new ByteArrayContent(bytes[..^1]))).StatusCode);
        Assert.Null(await Store.OpenReadAsync("org_a/put", default));

        Assert.Equal(HttpStatusCode.OK, (await Http.PutAsync(url, new ByteArrayContent(bytes))).StatusCode);
        await using var read = (await Store.OpenReadAsync("org_a/put", default))!;
        var copy = new MemoryStream();
        await read.CopyToAsync(copy);
        Assert.Equal(bytes, copy.ToArray());
    }

    [Fact]
    public async Task A_read_fails_rather_than_mix_in_a_replaced_object()
    {
        await Store.WriteAsync("org_a/replaced", new MemoryStream(RandomNumberGenerator.GetBytes(10_000)), long.MaxValue, default);
        await using var read = (await Store.OpenReadAsync("org_a/replaced", default))!;
        await Store.WriteAsync("org_a/replaced", new MemoryStream(RandomNumberGenerator.GetBytes(10_000)), long.MaxValue, default);

        await Assert.ThrowsAsync<IOException>(() => read.ReadExactlyAsync(new byte[10]).AsTask());
    }

    [Fact]
    public async Task The_sweep_aborts_stale_multipart_uploads_and_removes_stale_staged_uploads()
    {
        var stale = await S3.Client.InitiateMultipartUploadAsync(new InitiateMultipartUploadRequest { BucketName = S3.Bucket, Key = "tenant-docs/org_s/crashed" });
        await Store.WriteAsync(BlobKeys.Staging("org_s", "doc_abandoned"), new MemoryStream([1, 2, 3]), long.MaxValue, default);
        await Store.WriteAsync("org_s/kept", new MemoryStream([1, 2, 3]), long.MaxValue, default);

        Assert.Equal(0, await fixture.Store.SweepAbandonedWritesAsync(TimeSpan.FromHours(1), DateTimeOffset.UtcNow, default));
        Assert.Equal(2, await fixture.Store.SweepAbandonedWritesAsync(TimeSpan.FromHours(1), DateTimeOffset.UtcNow.AddHours(2), default));

        var uploads = await S3.Client.ListMultipartUploadsAsync(new ListMultipartUploadsRequest { BucketName = S3.Bucket });
        Assert.DoesNotContain(uploads.MultipartUploads ?? [], u => u.UploadId == stale.UploadId);
        Assert.Null(await Store.OpenReadAsync(BlobKeys.Staging("org_s", "doc_abandoned"), default));
        Assert.NotNull(await Store.OpenReadAsync("org_s/kept", default));
    }

    /// <summary>The S3 operations the store sent while <paramref name="action"/> ran.</summary>
    private async Task<(T Result, List<string> Requests)> RecordingRequestsAsync<T>(Func<Task<T>> action)
    {
        var requests = new List<string>();
        void Record(object? sender, Amazon.Runtime.RequestEventArgs e)
        {
            if (e is Amazon.Runtime.WebServiceRequestEventArgs web)
            {
                lock (requests)
                {
                    requests.Add(web.Request.GetType().Name);
                }
            }
        }

        S3.Client.BeforeRequestEvent += Record;
        try
        {
            return (await action(), requests);
        }
        finally
        {
            S3.Client.BeforeRequestEvent -= Record;
        }
    }

    /// <summary>Yields the bytes, cancelling the token once <c>cancelAfter</c> have been read (a client that goes away).</summary>
    private sealed class CancellingStream(byte[] bytes, int cancelAfter, CancellationTokenSource cancel) : MemoryStream(bytes)
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (Position >= cancelAfter)
            {
                await cancel.CancelAsync();
                cancellationToken.ThrowIfCancellationRequested();
            }

            return await base.ReadAsync(buffer[..(int)Math.Min(buffer.Length, Math.Max(1, cancelAfter - Position))], cancellationToken);
        }
    }
}
