namespace Cassiopeia.Core.Common;

/// <summary>One page of a cursor-paginated list, in the API's <c>{items, nextCursor}</c> shape.</summary>
public sealed record Page<T>(IReadOnlyList<T> Items, string? NextCursor);

/// <summary>A validated page request: the limit is clamped and the cursor is the last key seen.</summary>
public sealed record PageRequest(int Limit, string? After)
{
    public const int DefaultLimit = 20;
    public const int MaxLimit = 100;

    /// <summary>Fetches one row beyond the page to know whether another page follows.</summary>
    public static Page<T> ToPage<T>(IReadOnlyList<T> rowsPlusOne, int limit, Func<T, string> key)
    {
        if (rowsPlusOne.Count <= limit)
        {
            return new Page<T>(rowsPlusOne, null);
        }

        var items = rowsPlusOne.Take(limit).ToList();
        return new Page<T>(items, key(items[^1]));
    }
}
