using Npgsql;

namespace Cassiopeia.Infrastructure;

/// <summary>
/// Text PostgreSQL refuses to take: a U+0000 character (SQLSTATE 22021, "invalid byte sequence") or one
/// the database encoding cannot represent (22P05). It can come from any string of a request (an email,
/// an id, a title) and is never meaningful, so it is the client's error (400), not a server fault.
/// Checked where the database answers rather than on every string of every request: SQLite stores such
/// text and finds nothing, which also ends in a 4xx.
/// </summary>
public static class UnstorableText
{
    public static bool Is(Exception exception)
    {
        for (Exception? e = exception; e is not null; e = e.InnerException)
        {
            if (e is PostgresException { SqlState: "22021" or "22P05" })
            {
                return true;
            }
        }

        return false;
    }
}
