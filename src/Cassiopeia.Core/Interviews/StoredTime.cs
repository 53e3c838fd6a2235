namespace Cassiopeia.Core.Interviews;

/// <summary>
/// The current time at the precision both databases keep (PostgreSQL stores microseconds), so a
/// created resource reads back exactly as the creating response showed it.
/// </summary>
public static class StoredTime
{
    public static DateTime Now(TimeProvider time)
    {
        var now = time.GetUtcNow().UtcDateTime;
        return new DateTime(now.Ticks - (now.Ticks % 10), DateTimeKind.Utc);
    }
}
