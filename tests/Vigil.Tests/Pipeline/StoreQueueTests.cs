using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Vigil.Pipeline;
using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>The store queue's commit window: rows count as stored only once committed, and Dispose commits them all.</summary>
public sealed class StoreQueueTests
{
    [Fact]
    public void RowsInsideTheWindow_AreNeitherCountedNorVisible_UntilDisposeCommitsThem()
    {
        using var directory = new TempDirectory();
        var database = directory.File("vigil.db");
        var queue = new StoreQueue(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.FromHours(1) });
        for (var i = 0; i < 3; i++)
        {
            queue.Write(TestTables.ProcessEvents, TestTables.ProcessRow(i, "/usr/bin/x", 1700000000 + i));
        }

        Thread.Sleep(200);
        Assert.Equal(0, queue.Committed);
        Assert.Equal(0, StoredRows(database));

        var closing = Stopwatch.StartNew();
        queue.Dispose();
        Assert.True(closing.Elapsed < TimeSpan.FromSeconds(10), $"Dispose waited {closing.Elapsed} for the window");
        Assert.Equal(3, queue.Committed);
        Assert.Equal(3, StoredRows(database));
    }

    [Fact]
    public void Dispose_CommitsMoreRowsThanOneTransactionHolds()
    {
        using var directory = new TempDirectory();
        var database = directory.File("vigil.db");
        var queue = new StoreQueue(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.FromHours(1) });
        var rows = (2 * StoreQueue.CommitRows) + 17;
        for (var i = 0; i < rows; i++)
        {
            queue.Write(TestTables.ProcessEvents, TestTables.ProcessRow(i, "/usr/bin/x", 1700000000 + i));
        }

        queue.Dispose();
        Assert.Equal(rows, queue.Committed);
        Assert.Equal(rows, StoredRows(database));
    }

    [Fact]
    public void RowsAreCommittedWhenTheWindowEnds_WithoutDispose()
    {
        using var directory = new TempDirectory();
        var database = directory.File("vigil.db");
        using var queue = new StoreQueue(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.FromMilliseconds(50) });
        for (var i = 0; i < 5; i++)
        {
            queue.Write(TestTables.ProcessEvents, TestTables.ProcessRow(i, "/usr/bin/x", 1700000000 + i));
        }

        var waiting = Stopwatch.StartNew();
        while (queue.Committed < 5)
        {
            Assert.True(waiting.Elapsed < TimeSpan.FromSeconds(10), $"{queue.Committed} of 5 rows committed after 10 s");
            Thread.Sleep(5);
        }

        Assert.Equal(5, StoredRows(database));
    }

    [Fact]
    public void ABatchTheStoreRefusesForAReasonRetryingCannotFix_IsDroppedAndCounted_AndTheNextIsStored()
    {
        using var directory = new TempDirectory();
        var database = directory.File("vigil.db");
        var queue = new StoreQueue(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.Zero });
        try
        {
            queue.Write(TestTables.ProcessEvents, [ColumnValue.Of(1), ColumnValue.Of("/usr/bin/short")]);
            Wait.Until(() => queue.DroppedStoreError == 1, "the bad row to be dropped", TimeSpan.FromSeconds(10));
            Assert.Equal("ArgumentException: test_process_events has 6 columns; the row has 2.", queue.Error);

            queue.Write(TestTables.ProcessEvents, TestTables.ProcessRow(2, "/usr/bin/x", 1700000000));
            Wait.Until(() => queue.Committed == 1, "the good row to be stored", TimeSpan.FromSeconds(10));
            Assert.Null(queue.Error);
            Assert.Equal((1L, 0L), (queue.Dropped, queue.Failures));
        }
        finally
        {
            queue.Dispose();
        }

        Assert.Equal(1, StoredRows(database));
    }

    private static long StoredRows(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder
        {
            DataSource = database,
            Mode = SqliteOpenMode.ReadOnly,
            Pooling = false,
        }.ToString());
        connection.Open();
        using var count = connection.CreateCommand();
        count.CommandText = "SELECT count(*) FROM \"test_process_events_data\"";
        return (long)count.ExecuteScalar()!;
    }
}
