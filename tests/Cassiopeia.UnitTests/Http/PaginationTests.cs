using System.Text;
using Cassiopeia.Api.Http;
using Cassiopeia.Core.Common;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.UnitTests.Http;

public sealed class PaginationTests
{
    [Fact]
    public void Missing_limit_defaults_to_20()
    {
        var request = Pagination.Read(null, null);

        Assert.True(request.Succeeded);
        Assert.Equal(new PageRequest(20, null), request.Value);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(50)]
    [InlineData(100)]
    public void Limit_within_range_is_used(int limit)
    {
        Assert.Equal(limit, Pagination.Read(limit, null).Value!.Limit);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(101)]
    [InlineData(int.MaxValue)]
    public void Limit_out_of_range_is_rejected(int limit)
    {
        var request = Pagination.Read(limit, null);

        Assert.False(request.Succeeded);
        Assert.Equal(["limit"], request.Error!.Fields!.Keys);
    }

    [Fact]
    public void Empty_cursor_means_first_page()
    {
        var request = Pagination.Read(10, "");

        Assert.True(request.Succeeded);
        Assert.Null(request.Value!.After);
    }

    [Fact]
    public void Next_cursor_of_a_response_reads_back_as_the_last_key()
    {
        var page = new Page<string>(["a", "b"], "usr_01jbz8k3q8e6w5n4v3c2b1a0zz");

        var response = page.ToResponse();
        var request = Pagination.Read(null, response.NextCursor);

        Assert.Equal(["a", "b"], response.Items);
        Assert.NotNull(response.NextCursor);
        Assert.DoesNotContain("usr_", response.NextCursor, StringComparison.Ordinal);
        Assert.True(request.Succeeded);
        Assert.Equal("usr_01jbz8k3q8e6w5n4v3c2b1a0zz", request.Value!.After);
    }

    [Fact]
    public void Last_page_has_no_next_cursor()
    {
        Assert.Null(new Page<string>(["a"], null).ToResponse().NextCursor);
    }

    [Fact]
    public void Cursor_is_url_safe()
    {
        var cursor = new Page<string>([], "key?with/odd+chars=&\u00e9\u00e9\u00e9").ToResponse().NextCursor!;

        Assert.All(cursor, c => Assert.True(char.IsAsciiLetterOrDigit(c) || c is '-' or '_', $"'{c}' is not URL-safe"));
        Assert.Equal("key?with/odd+chars=&\u00e9\u00e9\u00e9", Pagination.Read(null, cursor).Value!.After);
    }

    [Theory]
    [InlineData("!!!!")]
    [InlineData("a")]
    [InlineData("not a cursor")]
    [InlineData("dXNyXzAx")]
    [InlineData("====")]
    [InlineData("YzE6a===")]
    [InlineData("YzE6\u00e9")]
    [InlineData("YzE6 a")]
    [InlineData("YzE6a%3D")]
    public void Garbage_cursor_is_rejected(string cursor)
    {
        AssertCursorRejected(Pagination.Read(null, cursor));
    }

    [Fact]
    public void Cursor_with_tampered_version_is_rejected()
    {
        var cursor = new Page<string>([], "usr_abc").ToResponse().NextCursor!;
        var tampered = (cursor[0] == 'Y' ? 'Z' : 'Y') + cursor[1..];

        AssertCursorRejected(Pagination.Read(null, tampered));
    }

    [Theory]
    [InlineData("c2:usr_abc")]
    [InlineData("c1:")]
    [InlineData("C1:usr_abc")]
    public void Cursor_without_current_version_and_a_key_is_rejected(string text)
    {
        AssertCursorRejected(Pagination.Read(null, Base64UrlEncoder.Encode(text)));
    }

    [Fact]
    public void Cursor_with_key_of_97_characters_is_accepted()
    {
        var key = new string('k', 97);

        Assert.Equal(key, Pagination.Read(null, Base64UrlEncoder.Encode("c1:" + key)).Value!.After);
    }

    [Fact]
    public void Cursor_decoding_to_more_than_100_characters_is_rejected()
    {
        AssertCursorRejected(Pagination.Read(null, Base64UrlEncoder.Encode("c1:" + new string('k', 98))));
    }

    [Fact]
    public void Cursor_longer_than_200_characters_is_rejected_before_decoding()
    {
        var cursor = Convert.ToBase64String(Encoding.UTF8.GetBytes("c1:" + new string('k', 200)));

        Assert.True(cursor.Length > 200);
        AssertCursorRejected(Pagination.Read(null, cursor));
    }

    [Fact]
    public void Bad_limit_and_bad_cursor_are_reported_together()
    {
        var request = Pagination.Read(0, "!!!!");

        Assert.Equal(["cursor", "limit"], request.Error!.Fields!.Keys.Order(StringComparer.Ordinal));
    }

    private static void AssertCursorRejected(Result<PageRequest> request)
    {
        Assert.False(request.Succeeded);
        Assert.Equal(ErrorKind.Validation, request.Error!.Kind);
        Assert.Equal(["cursor"], request.Error.Fields!.Keys);
    }
}
