using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Cassiopeia.Core.Data;
using Cassiopeia.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Cassiopeia.IntegrationTests.Documents;

public abstract class DocumentTests(ApiFixture fixture) : IntegrationTest(fixture)
{
    private static readonly byte[] MinimalPdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n");

    [Fact]
    public async Task Upload_stores_the_file_and_download_returns_the_same_bytes()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("# Senior engineer\n\n- C#\n- PostgreSQL\n" + Guid.NewGuid());
        var response = await UploadAsync(owner, bytes, "cv.md", "cv", title: "My CV");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var document = await Json(response);
        Assert.Equal("text/markdown", document.GetProperty("contentType").GetString());
        Assert.Equal("queued", document.GetProperty("status").GetString());
        Assert.Equal("My CV", document.GetProperty("title").GetString());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(bytes)), document.GetProperty("sha256").GetString());
        Assert.Equal(bytes.Length, document.GetProperty("size").GetInt64());

        var id = document.GetProperty("id").GetString();
        var redirect = await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/content");
        Assert.Equal(HttpStatusCode.Redirect, redirect.StatusCode);
        var download = await FollowAsync(redirect.Headers.Location);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal("text/markdown", download.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Download_supports_ranges()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 20_000).Select(i => (char)('a' + (i % 26)))));
        var id = (await Json(await UploadAsync(owner, bytes, "notes.txt", "other"))).GetProperty("id").GetString();
        var location = (await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/content")).Headers.Location;

        var partial = await FollowAsync(location, range: new RangeHeaderValue(10_000, 10_099));
        Assert.Equal(HttpStatusCode.PartialContent, partial.StatusCode);
        Assert.Equal(bytes.AsSpan(10_000, 100).ToArray(), await partial.Content.ReadAsByteArrayAsync());
    }

    [Fact]
    public async Task A_whole_download_of_many_segments_carries_every_byte_and_the_file_headers()
    {
        var owner = await SignUpAsync();
        // About 0.9 MB (the tests' upload limit is 1 MiB): 14 encrypted segments, two flushes of the response pipe.
        var bytes = Encoding.UTF8.GetBytes(string.Concat(Enumerable.Range(0, 32_000).Select(i => $"line {i:D6} of the notes {i % 97}\n")));
        var uploaded = await UploadAsync(owner, bytes, "long notes.txt", "other");
        Assert.True(uploaded.IsSuccessStatusCode, await uploaded.Content.ReadAsStringAsync());
        var id = (await Json(uploaded)).GetProperty("id").GetString();
        var location = (await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/content")).Headers.Location;

        var download = await FollowAsync(location);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal(bytes.Length, download.Content.Headers.ContentLength);
        Assert.Equal(bytes, await download.Content.ReadAsByteArrayAsync());
        Assert.Equal("attachment", download.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Contains("long notes.txt", download.Content.Headers.ContentDisposition?.ToString(), StringComparison.Ordinal);
        if (!IsOutside(location!))
        {
            Assert.Contains("bytes", download.Headers.AcceptRanges);
            Assert.True(download.Headers.CacheControl is { NoStore: true, Private: true });
        }
    }

    [Fact]
    public async Task Same_bytes_again_return_the_existing_document_marked_duplicate()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("plain text " + Guid.NewGuid());
        var first = await Json(await UploadAsync(owner, bytes, "a.txt", "other"));
        var second = await UploadAsync(owner, bytes, "b.txt", "jd");

        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var body = await Json(second);
        Assert.True(body.GetProperty("duplicate").GetBoolean());
        Assert.Equal(first.GetProperty("id").GetString(), body.GetProperty("id").GetString());
        Assert.Single((await Json(await SendAsync(owner, HttpMethod.Get, "/v1/documents"))).GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task Concurrent_uploads_of_the_same_bytes_create_one_document()
    {
        var owner = await SignUpAsync();
        var bytes = Encoding.UTF8.GetBytes("race " + Guid.NewGuid());
        var responses = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => UploadAsync(owner, bytes, "r.txt", "other")));

        Assert.Single(responses, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Accepted), r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Single((await Json(await SendAsync(owner, HttpMethod.Get, "/v1/documents"))).GetProperty("items").EnumerateArray());
        Assert.Single(await Fixture.StoredObjectsAsync(), f => f.Contains(owner.OrganizationId, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Uploads_saved_together_each_get_their_own_answer_when_some_repeat_bytes()
    {
        var owner = await SignUpAsync();
        var repeated = Encoding.UTF8.GetBytes("repeated " + Guid.NewGuid());
        var files = Enumerable.Range(0, 8).Select(i => Encoding.UTF8.GetBytes($"distinct {i} {Guid.NewGuid()}"))
            .Concat(Enumerable.Repeat(repeated, 4)).ToList();

        var responses = await Task.WhenAll(files.Select((bytes, i) => UploadAsync(owner, bytes, $"f{i}.txt", "other")));

        Assert.All(responses.Take(8), r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var repeats = await Task.WhenAll(responses.Skip(8).Select(r => Json(r)));
        Assert.Single(responses.Skip(8), r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Single(repeats.Select(r => r.GetProperty("id").GetString()).Distinct());
        Assert.Equal(3, repeats.Count(r => r.GetProperty("duplicate").ValueKind == System.Text.Json.JsonValueKind.True));
        var listed = (await Json(await SendAsync(owner, HttpMethod.Get, "/v1/documents?limit=100"))).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(9, listed.Count);
        Assert.Equal(9, (await Fixture.StoredObjectsAsync()).Count(f => f.Contains(owner.OrganizationId, StringComparison.Ordinal)));
        await using var scope = Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var ids = listed.Select(d => d.GetProperty("id").GetString()).ToList();
        Assert.Equal(9, await db.IngestionJobs.CountAsync(j => ids.Contains(j.DocumentId)));
    }

    [Fact]
    public async Task Types_are_sniffed_from_content_pdf_and_docx()
    {
        var owner = await SignUpAsync();
        var pdf = await Json(await UploadAsync(owner, [.. MinimalPdf, .. Encoding.ASCII.GetBytes(Guid.NewGuid().ToString())], "cv.pdf", "cv"));
        Assert.Equal("application/pdf", pdf.GetProperty("contentType").GetString());

        var docx = await Json(await UploadAsync(owner, Docx("Job description " + Guid.NewGuid()), "jd.docx", "jd"));
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", docx.GetProperty("contentType").GetString());

        var html = await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes($"<!DOCTYPE html><html><body>{Guid.NewGuid()}</body></html>"), "page", "other"));
        Assert.Equal("text/html", html.GetProperty("contentType").GetString());
    }

    [Theory]
    [InlineData("cv.pdf")]
    [InlineData("cv.docx")]
    public async Task Files_lying_about_their_type_are_415_and_leave_nothing(string fileName)
    {
        var owner = await SignUpAsync();
        var before = (await Fixture.StoredObjectsAsync()).Length;
        await AssertProblem(await UploadAsync(owner, Encoding.UTF8.GetBytes("just text " + Guid.NewGuid()), fileName, "cv"), HttpStatusCode.UnsupportedMediaType);
        Assert.Equal(before, (await Fixture.StoredObjectsAsync()).Length);
    }

    [Fact]
    public async Task Unsupported_binaries_zip_files_and_corrupt_archives_are_415()
    {
        var owner = await SignUpAsync();
        await AssertProblem(await UploadAsync(owner, [0x89, 0x50, 0x4E, 0x47, 0, 0, 0, 1, 2, 3], "image.bin", "other"), HttpStatusCode.UnsupportedMediaType);
        await AssertProblem(await UploadAsync(owner, Zip(("notes/readme.txt", "hello")), "archive.bin", "other"), HttpStatusCode.UnsupportedMediaType);
        await AssertProblem(await UploadAsync(owner, [.. "PK\u0003\u0004"u8, .. RandomNumberGenerator.GetBytes(200)], "broken.docx", "cv"), HttpStatusCode.UnsupportedMediaType);
        await AssertProblem(await UploadAsync(owner, [0xC3, 0x28, 0xA0, 0xA1], "bad.txt", "other"), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task A_docx_that_expands_like_a_zip_bomb_is_refused()
    {
        var owner = await SignUpAsync();
        var bomb = new MemoryStream();
        using (var zip = new ZipArchive(bomb, ZipArchiveMode.Create, leaveOpen: true))
        {
            Write(zip, "[Content_Types].xml", "<Types/>");
            using var entry = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 200; i++)
            {
                entry.Write(zeros);
            }
        }

        Assert.True(bomb.Length < ApiFactory.MaxFileBytes);
        await AssertProblem(await UploadAsync(owner, bomb.ToArray(), "bomb.docx", "cv"), HttpStatusCode.UnsupportedMediaType);
    }

    [Fact]
    public async Task Empty_file_is_400_and_one_byte_over_the_limit_is_413_both_leaving_nothing()
    {
        var owner = await SignUpAsync();
        var before = (await Fixture.StoredObjectsAsync()).Length;
        await AssertProblem(await UploadAsync(owner, [], "empty.txt", "other"), HttpStatusCode.BadRequest);
        await AssertProblem(await UploadAsync(owner, Enumerable.Repeat((byte)'a', ApiFactory.MaxFileBytes + 1).ToArray(), "big.txt", "other"), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal(before, (await Fixture.StoredObjectsAsync()).Length);

        var exact = await UploadAsync(owner, Enumerable.Repeat((byte)'b', ApiFactory.MaxFileBytes).ToArray(), "exact.txt", "other");
        Assert.Equal(HttpStatusCode.Accepted, exact.StatusCode);
    }

    [Theory]
    [InlineData("../../etc/passwd", "passwd")]
    [InlineData("C:\\Users\\x\\cv.txt", "cv.txt")]
    [InlineData("résumé 履歴書.txt", "résumé 履歴書.txt")]
    [InlineData("bad\u0001name\u202E.txt", "bad_name_.txt")]
    public async Task File_names_are_sanitised_keeping_unicode(string name, string expected)
    {
        var owner = await SignUpAsync();
        var document = await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("text " + Guid.NewGuid()), name, "other"));
        Assert.Equal(expected, document.GetProperty("fileName").GetString());
    }

    [Fact]
    public async Task Bad_fields_and_bodies_are_refused()
    {
        var owner = await SignUpAsync();
        await AssertProblem(await UploadAsync(owner, Encoding.UTF8.GetBytes("x " + Guid.NewGuid()), "a.txt", "resume"), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await UploadAsync(owner, Encoding.UTF8.GetBytes("x " + Guid.NewGuid()), "a.txt", "cv", replaces: "doc_nope"), HttpStatusCode.BadRequest, "validation");
        await AssertProblem(await SendAsync(owner, HttpMethod.Post, "/v1/documents", new { kind = "cv" }), HttpStatusCode.UnsupportedMediaType);

        using var noFile = owner.Request(HttpMethod.Post, "/v1/documents");
        noFile.Content = new MultipartFormDataContent { { new StringContent("cv"), "kind" } };
        await AssertProblem(await Client.SendAsync(noFile), HttpStatusCode.BadRequest);
    }

    [Theory]
    [InlineData("b", "--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.md\"\r\n\r\n# never closed")]
    [InlineData("b", "--b\r\nContent-Disposition: form-data; name=\"kind\"\r\n\r\ncv")]
    [InlineData("nope", "--other\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nx\r\n--other--\r\n")]
    [InlineData("----------------------------------------------------------------------", "------------------------------------------------------------------------\r\n")]
    public async Task Multipart_body_cut_short_is_a_400_problem_and_stores_nothing(string boundary, string body)
    {
        var owner = await SignUpAsync();
        var storedBefore = await Fixture.StoredObjectsAsync();
        using var request = owner.Request(HttpMethod.Post, "/v1/documents");
        request.Content = new ByteArrayContent(Encoding.ASCII.GetBytes(body));
        request.Content.Headers.TryAddWithoutValidation("Content-Type", $"multipart/form-data; boundary={boundary}");

        await AssertProblem(await Client.SendAsync(request), HttpStatusCode.BadRequest);
        Assert.Equal(storedBefore.Order(StringComparer.Ordinal), (await Fixture.StoredObjectsAsync()).Order(StringComparer.Ordinal));
        Assert.Equal(0, (await Json(await SendAsync(owner, HttpMethod.Get, "/v1/documents"))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Form_field_of_invalid_utf8_is_a_400_problem()
    {
        var owner = await SignUpAsync();
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.UTF8.GetBytes("text " + Guid.NewGuid())), "file", "a.md");
        form.Add(new ByteArrayContent([0x43, 0x56, 0xC0, 0xAF, 0xFF]), "title");
        form.Add(new StringContent("cv"), "kind");
        using var request = owner.Request(HttpMethod.Post, "/v1/documents");
        request.Content = form;

        await AssertProblem(await Client.SendAsync(request), HttpStatusCode.BadRequest);
        Assert.Equal(0, (await Json(await SendAsync(owner, HttpMethod.Get, "/v1/documents"))).GetProperty("items").GetArrayLength());
    }

    [Fact]
    public async Task Concurrent_deletes_of_one_document_answer_204_once_and_404_otherwise()
    {
        var owner = await SignUpAsync();
        for (var round = 0; round < 3; round++)
        {
            var id = (await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("delete race " + Guid.NewGuid()), "race.txt", "other"))).GetProperty("id").GetString();
            var answers = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => SendAsync(owner, HttpMethod.Delete, $"/v1/documents/{id}")));

            Assert.Equal(1, answers.Count(r => r.StatusCode == HttpStatusCode.NoContent));
            Assert.All(answers.Where(r => r.StatusCode != HttpStatusCode.NoContent), r => Assert.Equal(HttpStatusCode.NotFound, r.StatusCode));
            await AssertProblem(await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}"), HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Viewers_cannot_upload_or_delete()
    {
        var owner = await SignUpAsync();
        var viewer = await SignUpAsync();
        await AddMemberAsync(owner, viewer, "viewer");
        var id = (await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("x " + Guid.NewGuid()), "a.txt", "other"))).GetProperty("id").GetString();

        await AssertProblem(await UploadAsync(viewer, Encoding.UTF8.GetBytes("y " + Guid.NewGuid()), "b.txt", "other", owner.OrganizationId), HttpStatusCode.Forbidden);
        await AssertProblem(await SendAsync(viewer, HttpMethod.Delete, $"/v1/documents/{id}", organizationId: owner.OrganizationId), HttpStatusCode.Forbidden);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(viewer, HttpMethod.Get, $"/v1/documents/{id}", organizationId: owner.OrganizationId)).StatusCode);
    }

    [Fact]
    public async Task Another_organizations_document_is_not_found_on_every_route()
    {
        var alice = await SignUpAsync();
        var mallory = await SignUpAsync();
        var id = (await Json(await UploadAsync(alice, Encoding.UTF8.GetBytes("alice " + Guid.NewGuid()), "a.txt", "cv"))).GetProperty("id").GetString();

        foreach (var path in new[] { $"/v1/documents/{id}", $"/v1/documents/{id}/content", $"/v1/documents/{id}/chunks", $"/v1/documents/{id}/versions" })
        {
            await AssertProblem(await SendAsync(mallory, HttpMethod.Get, path), HttpStatusCode.NotFound);
        }

        await AssertProblem(await SendAsync(mallory, HttpMethod.Delete, $"/v1/documents/{id}"), HttpStatusCode.NotFound);
        await AssertProblem(await UploadAsync(mallory, Encoding.UTF8.GetBytes("m " + Guid.NewGuid()), "m.txt", "cv", replaces: id), HttpStatusCode.BadRequest);
        Assert.Equal(0, (await Json(await SendAsync(mallory, HttpMethod.Get, "/v1/documents"))).GetProperty("items").GetArrayLength());
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(alice, HttpMethod.Get, $"/v1/documents/{id}")).StatusCode);
    }

    [Fact]
    public async Task Signed_urls_refuse_tampering_reuse_for_another_document_and_expiry()
    {
        var owner = await SignUpAsync();
        var a = (await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("a " + Guid.NewGuid()), "a.txt", "other"))).GetProperty("id").GetString()!;
        var location = (await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{a}/content")).Headers.Location!;
        var b = (await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("b " + Guid.NewGuid()), "b.txt", "other"))).GetProperty("id").GetString()!;

        // The same attacks on either kind of link: the API's HMAC token or the bucket's presigned URL.
        var (forged, truncated, garbage) = IsOutside(location) ? TamperPresigned(location, a, b) : TamperToken(location.ToString(), a, b);
        Assert.Equal(HttpStatusCode.Forbidden, (await FollowAsync(forged)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await FollowAsync(truncated)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await FollowAsync(garbage)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await FollowAsync(location)).StatusCode);
        if (!IsOutside(location))
        {
            await AssertProblem(await FollowAsync(forged), HttpStatusCode.Forbidden);
        }
    }

    private static (Uri Forged, Uri Truncated, Uri Garbage) TamperToken(string location, string a, string b)
    {
        var token = location["/v1/files/".Length..];
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.DecodeBytes(parts[0]));
        var forged = Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload.Replace(a, b, StringComparison.Ordinal)) + "." + parts[1];
        return (new Uri($"/v1/files/{forged}", UriKind.Relative), new Uri($"/v1/files/{token[..^2]}xx", UriKind.Relative), new Uri("/v1/files/garbage", UriKind.Relative));
    }

    private static (Uri Forged, Uri Truncated, Uri Garbage) TamperPresigned(Uri location, string a, string b)
    {
        var url = location.AbsoluteUri;
        var signature = System.Web.HttpUtility.ParseQueryString(location.Query)["X-Amz-Signature"]!;
        return (new Uri(url.Replace(a, b, StringComparison.Ordinal)),
            new Uri(url.Replace(signature, signature[..^1] + (signature[^1] == '0' ? '1' : '0'), StringComparison.Ordinal)),
            new Uri(url.Replace(signature, "garbage", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task Delete_erases_file_and_metadata_and_old_urls_stop_working()
    {
        var owner = await SignUpAsync();
        var id = (await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("erase me " + Guid.NewGuid()), "e.txt", "cv"))).GetProperty("id").GetString();
        var location = (await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/content")).Headers.Location;
        Assert.Contains(await Fixture.StoredObjectsAsync(), f => f.EndsWith(id!, StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(owner, HttpMethod.Delete, $"/v1/documents/{id}")).StatusCode);
        Assert.DoesNotContain(await Fixture.StoredObjectsAsync(), f => f.EndsWith(id!, StringComparison.Ordinal));
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}"), HttpStatusCode.NotFound);
        await AssertGoneAsync(location);
        await AssertProblem(await SendAsync(owner, HttpMethod.Delete, $"/v1/documents/{id}"), HttpStatusCode.NotFound);

        var audit = await Json(await SendAsync(owner, HttpMethod.Get, "/v1/audit-events"));
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("action").GetString() == "document.deleted" && e.GetProperty("targetId").GetString() == id);
    }

    [Fact]
    public async Task Versions_link_a_replacement_to_the_original()
    {
        var owner = await SignUpAsync();
        var v1 = (await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("v1 " + Guid.NewGuid()), "cv.txt", "cv"))).GetProperty("id").GetString()!;
        var v2 = (await Json(await UploadAsync(owner, Encoding.UTF8.GetBytes("v2 " + Guid.NewGuid()), "cv.txt", "cv", replaces: v1))).GetProperty("id").GetString()!;

        foreach (var id in new[] { v1, v2 })
        {
            var versions = await Json(await SendAsync(owner, HttpMethod.Get, $"/v1/documents/{id}/versions"));
            Assert.Equal([v2, v1], versions.GetProperty("items").EnumerateArray().Select(d => d.GetProperty("id").GetString()!).ToArray());
        }
    }

    [Fact]
    public async Task List_filters_by_kind_and_paginates_and_rejects_bad_filters()
    {
        var owner = await SignUpAsync();
        await UploadAsync(owner, Encoding.UTF8.GetBytes("1 " + Guid.NewGuid()), "1.txt", "cv");
        await UploadAsync(owner, Encoding.UTF8.GetBytes("2 " + Guid.NewGuid()), "2.txt", "jd");
        await UploadAsync(owner, Encoding.UTF8.GetBytes("3 " + Guid.NewGuid()), "3.txt", "jd");

        var jds = await Json(await SendAsync(owner, HttpMethod.Get, "/v1/documents?kind=jd&limit=1"));
        Assert.Single(jds.GetProperty("items").EnumerateArray());
        var next = jds.GetProperty("nextCursor").GetString();
        var second = await Json(await SendAsync(owner, HttpMethod.Get, $"/v1/documents?kind=jd&limit=1&cursor={next}"));
        Assert.Equal("jd", second.GetProperty("items")[0].GetProperty("kind").GetString());
        Assert.Equal(JsonValueKindNull, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal(3, (await Json(await SendAsync(owner, HttpMethod.Get, "/v1/documents?status=queued"))).GetProperty("items").GetArrayLength());

        await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/documents?kind=secret"), HttpStatusCode.BadRequest);
        await AssertProblem(await SendAsync(owner, HttpMethod.Get, "/v1/documents?status=' OR 1=1"), HttpStatusCode.BadRequest);
    }

    private const System.Text.Json.JsonValueKind JsonValueKindNull = System.Text.Json.JsonValueKind.Null;

    private async Task<HttpResponseMessage> UploadAsync(Session session, byte[] bytes, string fileName, string kind, string? organizationId = null, string? title = null, string? replaces = null)
    {
        using var request = session.Request(HttpMethod.Post, "/v1/documents", organizationId: organizationId);
        var form = new MultipartFormDataContent { { new StringContent(kind), "kind" } };
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        form.Add(file, "file", fileName);
        if (title is not null)
        {
            form.Add(new StringContent(title), "title");
        }

        if (replaces is not null)
        {
            form.Add(new StringContent(replaces), "replaces");
        }

        request.Content = form;
        return await Client.SendAsync(request);
    }

    private static byte[] Docx(string text) => Zip(
        ("[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"),
        ("word/document.xml", $"<?xml version=\"1.0\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:body></w:document>"));

    private static byte[] Zip(params (string Name, string Content)[] entries)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        {
            foreach (var (name, content) in entries)
            {
                Write(zip, name, content);
            }
        }

        return stream.ToArray();
    }

    private static void Write(ZipArchive zip, string name, string content)
    {
        using var entry = new StreamWriter(zip.CreateEntry(name).Open());
        entry.Write(content);
    }
}

public sealed class SqliteDocumentTests(SqliteFixture fixture) : DocumentTests(fixture), IClassFixture<SqliteFixture>;

public sealed class PostgresDocumentTests(PostgresFixture fixture) : DocumentTests(fixture), IClassFixture<PostgresFixture>;
