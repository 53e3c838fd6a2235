using Cassiopeia.Core.Common;

namespace Cassiopeia.UnitTests.Common;

public sealed class IdsTests
{
    private const string Alphabet = "0123456789abcdefghjkmnpqrstvwxyz";

    [Fact]
    public void Id_starts_with_prefix_and_underscore()
    {
        Assert.StartsWith("usr_", Ids.New("usr"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("usr")]
    [InlineData("org")]
    [InlineData("key")]
    [InlineData("x")]
    public void Id_body_is_26_characters(string prefix)
    {
        Assert.Equal(prefix.Length + 1 + 26, Ids.New(prefix).Length);
    }

    [Fact]
    public void Id_fits_the_longest_accepted_identifier()
    {
        Assert.True(Ids.New("usr").Length <= Ids.MaxLength);
    }

    [Fact]
    public void Id_body_uses_only_lower_case_crockford_base32()
    {
        for (var i = 0; i < 1000; i++)
        {
            var body = Ids.New("usr")[4..];

            Assert.All(body, c => Assert.Contains(c, Alphabet));
        }
    }

    [Fact]
    public void Many_ids_are_distinct()
    {
        var ids = Enumerable.Range(0, 10_000).Select(_ => Ids.New("usr")).ToList();

        Assert.Equal(ids.Count, ids.Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public void Ids_created_in_later_milliseconds_sort_later_as_ordinal_strings()
    {
        var ids = new List<string>();
        for (var i = 0; i < 5; i++)
        {
            ids.Add(Ids.New("usr"));
            Thread.Sleep(2);
        }

        Assert.Equal(ids, ids.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Id_body_begins_with_the_creation_time_in_milliseconds()
    {
        var before = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var id = Ids.New("usr");
        var after = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();

        // 26 characters carry 130 bits; the first 10 hold 2 zero bits and the 48-bit UUIDv7 timestamp.
        var milliseconds = id[4..14].Aggregate(0L, (value, c) => (value << 5) | (long)Alphabet.IndexOf(c, StringComparison.Ordinal));

        Assert.InRange(milliseconds, before, after);
    }
}
