using System.Text;
using Cassiopeia.Core.Common;
using Microsoft.IdentityModel.Tokens;

namespace Cassiopeia.Api.Http;

/// <summary>The API's list envelope: <c>{items, nextCursor}</c>, with an opaque cursor.</summary>
public sealed record PageResponse<T>(IReadOnlyList<T> Items, string? NextCursor);

public static class Pagination
{
    private const string Version = "c1:";

    /// <summary>Validates <c>limit</c> (1–100, default 20) and decodes <c>cursor</c>.</summary>
    public static Result<PageRequest> Read(int? limit, string? cursor)
    {
        var validation = new Validation()
            .Require(limit is null or (>= 1 and <= PageRequest.MaxLimit), "limit", $"Between 1 and {PageRequest.MaxLimit}.");
        string? after = null;
        if (!string.IsNullOrEmpty(cursor))
        {
            after = Decode(cursor);
            validation.Require(after is not null, "cursor", "The cursor is not valid; use the nextCursor of a previous page.");
        }

        return validation.IsValid ? new PageRequest(limit ?? PageRequest.DefaultLimit, after) : validation.ToError();
    }

    public static PageResponse<T> ToResponse<T>(this Page<T> page) =>
        new(page.Items, page.NextCursor is null ? null : Base64UrlEncoder.Encode(Version + page.NextCursor));

    private static string? Decode(string cursor)
    {
        if (cursor.Length > 200)
        {
            return null;
        }

        try
        {
            var text = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(cursor));
            return text.StartsWith(Version, StringComparison.Ordinal) && text.Length > Version.Length && text.Length <= 100
                ? text[Version.Length..]
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
