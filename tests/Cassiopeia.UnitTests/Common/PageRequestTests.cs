using Cassiopeia.Core.Common;

namespace Cassiopeia.UnitTests.Common;

public sealed class PageRequestTests
{
    [Fact]
    public void More_rows_than_limit_gives_limit_items_and_cursor_of_last_item()
    {
        var page = PageRequest.ToPage(["a", "b", "c", "d"], 3, s => "key-" + s);

        Assert.Equal(["a", "b", "c"], page.Items);
        Assert.Equal("key-c", page.NextCursor);
    }

    [Fact]
    public void Exactly_limit_rows_is_the_last_page()
    {
        var page = PageRequest.ToPage(["a", "b", "c"], 3, s => "key-" + s);

        Assert.Equal(["a", "b", "c"], page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public void Fewer_rows_than_limit_is_the_last_page()
    {
        var page = PageRequest.ToPage(["a"], 3, s => "key-" + s);

        Assert.Equal(["a"], page.Items);
        Assert.Null(page.NextCursor);
    }

    [Fact]
    public void No_rows_is_an_empty_last_page()
    {
        var page = PageRequest.ToPage(Array.Empty<string>(), 3, s => "key-" + s);

        Assert.Empty(page.Items);
        Assert.Null(page.NextCursor);
    }
}
