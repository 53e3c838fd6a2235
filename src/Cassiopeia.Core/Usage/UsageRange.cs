using System.Globalization;
using Cassiopeia.Core.Common;

namespace Cassiopeia.Core.Usage;

/// <summary>The days a usage report covers (UTC, both ends included).</summary>
public sealed record UsageRange(DateOnly From, DateOnly To)
{
    public const int MaxDays = 366;
    public const int DefaultDays = 30;

    public int Days => To.DayNumber - From.DayNumber + 1;

    /// <summary>
    /// <c>from</c> and <c>to</c> as <c>yyyy-MM-dd</c>; either may be left out: <c>to</c> defaults to
    /// today, <c>from</c> to the 30 days ending at <c>to</c>. At most <see cref="MaxDays"/> days.
    /// </summary>
    public static Result<UsageRange> Parse(string? from, string? to, DateOnly today)
    {
        var validation = new Validation();
        var end = today;
        if (to is not null)
        {
            validation.Require(TryDate(to, out end), "to", "A date as yyyy-MM-dd.");
        }

        var start = DateOnly.MinValue;
        if (from is not null)
        {
            validation.Require(TryDate(from, out start), "from", "A date as yyyy-MM-dd.");
        }
        else if (validation.IsValid)
        {
            start = end.DayNumber >= DefaultDays ? end.AddDays(-(DefaultDays - 1)) : DateOnly.MinValue;
        }

        if (!validation.IsValid)
        {
            return validation.ToError();
        }

        validation.Require(start <= end, "from", "Must not be after 'to'.")
            .Require(end.DayNumber - start.DayNumber < MaxDays, "to", $"A report covers at most {MaxDays} days.");
        return validation.IsValid ? new UsageRange(start, end) : validation.ToError();
    }

    /// <summary>The UTC day an event at <paramref name="utc"/> counts in.</summary>
    public static DateOnly DayOf(DateTime utc) => DateOnly.FromDateTime(utc.Kind == DateTimeKind.Utc ? utc : utc.ToUniversalTime());

    private static bool TryDate(string text, out DateOnly date) =>
        DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out date);
}
