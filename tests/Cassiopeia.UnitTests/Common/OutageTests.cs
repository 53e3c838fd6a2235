using System.Net.Sockets;
using Cassiopeia.Infrastructure;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Cassiopeia.UnitTests.Common;

public sealed class OutageTests
{
    [Fact]
    public void Connection_failures_wrapped_by_ef_are_a_database_outage()
    {
        var refused = new NpgsqlException("Failed to connect", new SocketException((int)SocketError.ConnectionRefused));
        Assert.Equal(OutageKind.DatabaseUnavailable, Outage.Classify(new InvalidOperationException("likely a transient failure", refused)));
        Assert.Equal(OutageKind.DatabaseUnavailable, Outage.Classify(new SqliteException("database is locked", 5)));
    }

    [Fact]
    public void A_full_disk_is_storage_full_and_other_io_errors_are_not()
    {
        Assert.Equal(OutageKind.StorageFull, Outage.Classify(new IOException("No space left on device", OperatingSystem.IsWindows() ? unchecked((int)0x80070070) : 28)));
        Assert.Equal(OutageKind.StorageFull, Outage.Classify(new SqliteException("database or disk is full", 13)));
        Assert.Equal(OutageKind.None, Outage.Classify(new IOException("Permission denied", 13)));
    }

    [Fact]
    public void Errors_the_database_answered_with_are_not_outages()
    {
        Assert.Equal(OutageKind.None, Outage.Classify(new SqliteException("UNIQUE constraint failed", 19)));
        Assert.Equal(OutageKind.None, Outage.Classify(new InvalidOperationException("a bug")));
    }
}
