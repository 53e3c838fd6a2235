using System.Net;
using System.Text;
using Cassiopeia.Core.Storage;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Documents;

/// <summary>
/// Direct upload and download when the bucket takes the bytes: the API hands out presigned URLs,
/// and <c>/complete</c> checks the staged object's size, copies it into place while hashing and
/// sniffing it, and removes it. Status codes of the API are those of the embedded profile.
/// </summary>
public sealed class S3DirectUploadTests(PostgresFixture fixture) : IntegrationTest(fixture), IClassFixture<PostgresFixture>
{
    private TestS3 S3 => fixture.S3!;

    [Fact]
    public async Task Announce_put_to_the_bucket_complete_then_download_from_the_bucket()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("# Job description\n\n- Kubernetes\n" + Guid.NewGuid());
        var (id, url) = await AnnounceAsync(owner, bytes.Length, "jd.md");
        Assert.StartsWith(S3.Options.ServiceUrl!, url, StringComparison.Ordinal);
        Assert.Contains($"/docs/uploads/{owner.OrganizationId}/{id}", url, StringComparison.Ordinal);

        Assert.Equal(HttpStatusCode.OK, (await FollowAsync(url, HttpMethod.Put, new ByteArrayContent(bytes))).StatusCode);
        var completed = await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete");
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        var document = await Json(completed);
        Assert.Equal("text/markdown", document.GetProperty("contentType").GetString());
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(bytes)), document.GetProperty("sha256").GetString());
        Assert.Equal([$"docs/{owner.OrganizationId}/{id}"], (await S3.KeysAsync()).Where(k => k.Contains(id, StringComparison.Ordinal)));

        var location = (await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/content")).Headers.Location!;
        Assert.StartsWith(S3.Options.ServiceUrl!, location.AbsoluteUri, StringComparison.Ordinal);
        var download = await FollowAsync(location);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("text/markdown", download.Content.Headers.ContentType?.MediaType);
        Assert.Equal("jd.md", download.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
    }

    [Fact]
    public async Task The_presigned_put_refuses_any_other_size_and_complete_then_says_incomplete()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("sized " + Guid.NewGuid());
        var (id, url) = await AnnounceAsync(owner, bytes.Length, "s.txt");

        Assert.Equal(HttpStatusCode.Forbidden, (await FollowAsync(url, HttpMethod.Put, new ByteArrayContent([.. bytes, (byte)'x']))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await FollowAsync(url, HttpMethod.Put, new ByteArrayContent(bytes[..^1]))).StatusCode);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete"), HttpStatusCode.Conflict, "upload-incomplete");
        Assert.DoesNotContain(await S3.KeysAsync(), k => k.Contains(id, StringComparison.Ordinal));
        Assert.Equal(HttpStatusCode.OK, (await FollowAsync(url, HttpMethod.Put, new ByteArrayContent(bytes))).StatusCode);
    }

    [Theory]
    [InlineData(1, HttpStatusCode.RequestEntityTooLarge)]
    [InlineData(-1, HttpStatusCode.BadRequest)]
    public async Task A_staged_object_of_another_size_is_refused_at_complete_and_removed(int difference, HttpStatusCode status)
    {
        // A service that ignored the signed length would let this through; /complete checks the size itself.
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("declared " + Guid.NewGuid());
        var (id, url) = await AnnounceAsync(owner, bytes.Length, "d.txt");
        var store = Factory.Services.GetRequiredService<IBlobStore>();
        await store.WriteAsync(BlobKeys.Staging(owner.OrganizationId, id), new MemoryStream(new byte[bytes.Length + difference]), long.MaxValue, default);

        await AssertProblem(await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete"), status);
        Assert.DoesNotContain(await S3.KeysAsync(), k => k.Contains(id, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await FollowAsync(url, HttpMethod.Put, new ByteArrayContent(bytes))).StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete")).StatusCode);
    }

    [Fact]
    public async Task Replaying_the_put_after_complete_cannot_change_the_document()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("original " + Guid.NewGuid());
        var (id, url) = await AnnounceAsync(owner, bytes.Length, "o.txt");
        await FollowAsync(url, HttpMethod.Put, new ByteArrayContent(bytes));
        Assert.Equal(HttpStatusCode.Accepted, (await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete")).StatusCode);

        var forged = bytes.ToArray();
        forged[0] = (byte)'X';
        Assert.Equal(HttpStatusCode.OK, (await FollowAsync(url, HttpMethod.Put, new ByteArrayContent(forged))).StatusCode);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete"), HttpStatusCode.NotFound);

        var download = await FollowAsync((await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/content")).Headers.Location);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task Tampered_urls_lying_content_and_other_organizations_are_refused_leaving_nothing()
    {
        var owner = await SignUpAsync();
        var mallory = await SignUpAsync();
        var (id, url) = await AnnounceAsync(owner, 10, "t.txt");
        var (otherId, _) = await AnnounceAsync(owner, 10, "u.txt");

        Assert.Equal(HttpStatusCode.Forbidden, (await FollowAsync(url.Replace(id, otherId, StringComparison.Ordinal), HttpMethod.Put, new ByteArrayContent(new byte[10]))).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await FollowAsync(url.Replace("X-Amz-Expires=", "X-Amz-Expires=9", StringComparison.Ordinal), HttpMethod.Put, new ByteArrayContent(new byte[10]))).StatusCode);
        Assert.DoesNotContain(await S3.KeysAsync(), k => k.Contains(otherId, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, (await FollowAsync(url, HttpMethod.Put, new ByteArrayContent([0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1, 2, 3]))).StatusCode);
        await AssertProblem(await SendAsync(mallory, HttpMethod.Post, $"/v1/documents/{id}/complete"), HttpStatusCode.NotFound);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete"), HttpStatusCode.UnsupportedMediaType);
        Assert.DoesNotContain(await S3.KeysAsync(), k => k.Contains(id, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Readiness_checks_the_bucket()
    {
        var ready = await Client.GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
        Assert.Equal("Healthy", (await Json(ready)).GetProperty("checks").GetProperty("storage").GetString());
    }

    [Fact]
    public async Task Readiness_fails_while_the_bucket_is_unreachable()
    {
        await using var database = await TestDatabase.CreateAsync("Sqlite");
        var settings = new Dictionary<string, string?>(S3.Settings) { ["Storage:S3:Bucket"] = "missing-" + Guid.NewGuid().ToString("N")[..8] };
        await using var factory = new ApiFactory(database, settings);

        var ready = await factory.CreateClient().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, ready.StatusCode);
        Assert.Equal("Unhealthy", (await Json(ready)).GetProperty("checks").GetProperty("storage").GetString());
    }

    private async Task<(string Id, string Url)> AnnounceAsync(Session owner, long size, string fileName)
    {
        var response = await SendAsync(owner, HttpMethod.Post, "/v1/documents/upload-url", new { fileName, contentType = "text/plain", size, kind = "jd" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        return (body.GetProperty("documentId").GetString()!, body.GetProperty("uploadUrl").GetString()!);
    }
}
