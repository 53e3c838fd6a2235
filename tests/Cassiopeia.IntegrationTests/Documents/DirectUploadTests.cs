using System.Net;
using System.Text;
using Cassiopeia.IntegrationTests.Infrastructure;

namespace Cassiopeia.IntegrationTests.Documents;

public abstract class DirectUploadTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    [Fact]
    public async Task Announce_put_complete_creates_the_document()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("# Job description\n\n- Kubernetes\n" + Guid.NewGuid());
        var (id, url) = await AnnounceAsync(owner, bytes.Length, "jd.md");

        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync(url, new ByteArrayContent(bytes))).StatusCode);
        var completed = await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete");
        Assert.Equal(HttpStatusCode.Accepted, completed.StatusCode);
        var document = await Json(completed);
        Assert.Equal(id, document.GetProperty("id").GetString());
        Assert.Equal("text/markdown", document.GetProperty("contentType").GetString());
        Assert.Equal("jd", document.GetProperty("kind").GetString());

        var download = await Client.GetAsync((await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/content")).Headers.Location);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task An_upload_url_works_once()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("once " + Guid.NewGuid());
        var (_, url) = await AnnounceAsync(owner, bytes.Length, "a.txt");
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync(url, new ByteArrayContent(bytes))).StatusCode);
        await AssertProblem(await Client.PutAsync(url, new ByteArrayContent(bytes)), HttpStatusCode.Forbidden, "upload-url-used");
    }

    [Fact]
    public async Task More_bytes_than_declared_are_413_and_fewer_are_400_leaving_nothing_and_the_url_usable()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("sized " + Guid.NewGuid());
        var (id, url) = await AnnounceAsync(owner, bytes.Length, "s.txt");

        await AssertProblem(await Client.PutAsync(url, new ByteArrayContent([.. bytes, (byte)'x'])), HttpStatusCode.RequestEntityTooLarge);
        await AssertProblem(await Client.PutAsync(url, new ByteArrayContent(bytes[..^1])), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, $"/v1/documents/{id}/complete"), HttpStatusCode.Conflict, "upload-incomplete");
        Assert.Equal(HttpStatusCode.OK, (await Client.PutAsync(url, new ByteArrayContent(bytes))).StatusCode);
    }

    [Fact]
    public async Task Tampered_urls_and_other_organizations_are_refused()
    {
        var owner = await SignUpAsync();
        var mallory = await SignUpAsync();
        var (id, url) = await AnnounceAsync(owner, 10, "t.txt");
        var token = url["/v1/uploads/".Length..];
        var payload = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(token.Split('.')[0]));
        var bigger = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload.Replace("|10|", "|999999|", StringComparison.Ordinal)) + "." + token.Split('.')[1];

        await AssertProblem(await Client.PutAsync($"/v1/uploads/{bigger}", new ByteArrayContent(new byte[11])), HttpStatusCode.Forbidden, "invalid-signature");
        await AssertProblem(await Client.PutAsync("/v1/uploads/nonsense", new ByteArrayContent(new byte[10])), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(mallory, HttpMethod.Post, $"/v1/documents/{id}/complete"), HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{\"fileName\":\"a.txt\",\"size\":0,\"kind\":\"cv\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"fileName\":\"a.txt\",\"size\":1,\"kind\":\"poem\"}", HttpStatusCode.BadRequest)]
    [InlineData("{\"fileName\":\"a.txt\",\"size\":99999999999,\"kind\":\"cv\"}", HttpStatusCode.RequestEntityTooLarge)]
    [InlineData("{\"size\":10,\"kind\":\"cv\"}", HttpStatusCode.BadRequest)]
    public async Task Bad_announcements_are_refused(string json, HttpStatusCode status)
    {
        var owner = await SignUpAsync();
        using var request = owner.Request(HttpMethod.Post, "/v1/documents/upload-url");
        request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        await AssertProblem(await Client.SendAsync(request), status);
    }

    private async Task<(string Id, string Url)> AnnounceAsync(Session owner, long size, string fileName)
    {
        var response = await SendAsync(owner, HttpMethod.Post, "/v1/documents/upload-url", new { fileName, contentType = "text/plain", size, kind = "jd" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var body = await Json(response);
        return (body.GetProperty("documentId").GetString()!, body.GetProperty("uploadUrl").GetString()!);
    }
}

public sealed class SqliteDirectUploadTests(SqliteFixture fixture) : DirectUploadTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresDirectUploadTests(PostgresLocalStorageFixture fixture) : DirectUploadTests(fixture), IClassFixture<PostgresLocalStorageFixture>;
