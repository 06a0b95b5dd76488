using Microsoft.Data.Sqlite;
using Vigil.Pipeline;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// The store queue on a tmpfs that fills up and grows again, and under each --database_space_left_action: rows wait in
/// order, the oldest are dropped when the queue is full, every row is stored or counted, and storing resumes by itself.
/// </summary>
public sealed class StoreQueueFaultTests : IDisposable
{
    private const int Capacity = StoreQueue.CommitRows + 100;
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [RootFact]
    public void A_full_file_system_keeps_the_newest_rows_waiting_drops_the_oldest_and_stores_them_when_it_grows()
    {
        using var tmpfs = new Tmpfs(_directory.File("small"), "4m");
        var database = Path.Combine(tmpfs.Path, "vigil.db");
        var queue = new StoreQueue(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.Zero, Capacity = Capacity });
        try
        {
            var written = Write(queue, 0, 10);
            Wait.Until(() => queue.Committed == 10, "the first rows to be stored", TimeSpan.FromSeconds(10));
            Mounts.Fill(tmpfs.Path);

            written = Write(queue, written, Capacity + 50);
            Wait.Until(() => queue.DroppedQueueFull == 50 && queue.Error is not null, "the store to fail and the 50 oldest waiting rows to be dropped", TimeSpan.FromSeconds(10));
            Assert.Equal($"{database}: database or disk is full", queue.Error);
            Assert.Equal((10L, Capacity), (queue.Committed, queue.Depth));

            tmpfs.Resize("64m");
            Wait.Until(() => queue.Depth == 0, "the waiting rows to be stored", TimeSpan.FromSeconds(10));
            Assert.Null(queue.Error);
            Assert.True(queue.Failures > 0);
            Assert.Equal((written, 50L, 0L), (queue.Committed + queue.Dropped, queue.DroppedQueueFull, queue.DroppedStoreError));
        }
        finally
        {
            queue.Dispose();
        }

        // The 50 dropped are the oldest of those that waited: rows 10 to 59.
        Assert.Equal([.. Enumerable.Range(0, 10), .. Enumerable.Range(60, Capacity)], StoredPids(database));
    }

    [RootFact]
    public void Stopping_while_the_disk_is_full_counts_every_waiting_row_as_unstored_and_does_not_throw()
    {
        using var tmpfs = new Tmpfs(_directory.File("small"), "4m");
        var database = Path.Combine(tmpfs.Path, "vigil.db");
        var queue = new StoreQueue(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.Zero });
        Write(queue, 0, 1);
        Wait.Until(() => queue.Committed == 1, "the first row to be stored", TimeSpan.FromSeconds(10));
        Mounts.Fill(tmpfs.Path);
        Write(queue, 1, 300);
        Wait.Until(() => queue.Error is not null, "the store to fail", TimeSpan.FromSeconds(10));

        queue.Dispose();

        Assert.Equal((1L, 300L, 300L), (queue.Committed, queue.DroppedAtStop, queue.Dropped));
        Assert.Equal([0], StoredPids(database));
    }

    [RootFact]
    public void Rows_shed_while_the_disk_is_full_leave_the_error_standing_until_a_row_is_stored()
    {
        using var tmpfs = new Tmpfs(_directory.File("small"), "4m");
        var database = Path.Combine(tmpfs.Path, "vigil.db");
        var queue = new StoreQueue(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.Zero });
        int shed;
        try
        {
            Write(queue, 0, 1);
            Wait.Until(() => queue.Committed == 1, "the first row to be stored", TimeSpan.FromSeconds(10));
            Mounts.Fill(tmpfs.Path);
            Write(queue, 1, 300);
            Wait.Until(() => queue.Error is not null, "the store to fail", TimeSpan.FromSeconds(10));

            // Storing nothing proves nothing: the writer's next look finds an empty queue, not a working store.
            shed = queue.Shed();
            Thread.Sleep(1500);
            Assert.Equal(($"{database}: database or disk is full", 1L), (queue.Error, queue.Committed));

            // The batch the writer was trying when the rest was shed, if any, is stored with the next row.
            tmpfs.Resize("64m");
            Write(queue, 1000, 1);
            Wait.Until(() => queue.Depth == 0 && queue.Committed == 302 - shed, "the rows not shed to be stored", TimeSpan.FromSeconds(10));
            Assert.Equal(((string?)null, (long)shed), (queue.Error, queue.Dropped));
        }
        finally
        {
            queue.Dispose();
        }

        Assert.Equal([0, .. Enumerable.Range(1, 300 - shed), 1000], StoredPids(database));
    }

    [RootFact]
    public void Keep_in_memory_stores_nothing_below_the_space_left_and_everything_once_space_returns()
    {
        using var tmpfs = new Tmpfs(_directory.File("small"), "8m");
        var database = Path.Combine(tmpfs.Path, "vigil.db");
        var queue = SpaceLeft(database, SpaceLeftAction.KeepInMemory);
        try
        {
            Write(queue, 0, 20);
            Wait.Until(() => queue.Error is not null, "the queue to hold the rows", TimeSpan.FromSeconds(10));
            Assert.Equal($"{tmpfs.Path} has 7 MB free, below --database_space_left=16; events wait in memory (--database_space_left_action=keep_in_memory)", queue.Error);
            Thread.Sleep(300);
            Assert.Equal((0L, 20, true), (queue.Committed, queue.Depth, queue.SpaceLow));

            tmpfs.Resize("64m");
            Wait.Until(() => queue.Committed == 20, "the rows to be stored", TimeSpan.FromSeconds(10));
            Assert.Equal(((string?)null, false, 0L), (queue.Error, queue.SpaceLow, queue.Dropped));
        }
        finally
        {
            queue.Dispose();
        }

        Assert.Equal(Enumerable.Range(0, 20), StoredPids(database));
    }

    [RootFact]
    public void Expire_oldest_below_the_space_left_deletes_as_many_stored_rows_as_each_batch_stores()
    {
        using var tmpfs = new Tmpfs(_directory.File("small"), "8m");
        var database = Path.Combine(tmpfs.Path, "vigil.db");
        using (var filling = new StoreQueue(database, [TestTables.ProcessEvents]))
        {
            Write(filling, 0, 100);
        }

        var queue = SpaceLeft(database, SpaceLeftAction.ExpireOldest);
        try
        {
            Write(queue, 100, 30);
            Wait.Until(() => queue.Committed == 30, "the rows to be stored", TimeSpan.FromSeconds(10));
            Assert.Equal((30L, true, (string?)null, 0L), (queue.ExpiredForSpace, queue.SpaceLow, queue.Error, queue.Dropped));
        }
        finally
        {
            queue.Dispose();
        }

        Assert.Equal(Enumerable.Range(30, 100), StoredPids(database));
    }

    [RootFact]
    public void Warn_below_the_space_left_stores_as_usual()
    {
        using var tmpfs = new Tmpfs(_directory.File("small"), "8m");
        var database = Path.Combine(tmpfs.Path, "vigil.db");
        var queue = SpaceLeft(database, SpaceLeftAction.Warn);
        try
        {
            Write(queue, 0, 5);
            Wait.Until(() => queue.Committed == 5, "the rows to be stored", TimeSpan.FromSeconds(10));
            Assert.Equal((true, 0L), (queue.SpaceLow, queue.ExpiredForSpace));
            Assert.InRange(queue.FreeBytes, 7 << 20, 8 << 20);
        }
        finally
        {
            queue.Dispose();
        }
    }

    // A threshold of 16 MB on an 8 MB tmpfs: below it from the start.
    private static StoreQueue SpaceLeft(string database, SpaceLeftAction action) =>
        new(database, [TestTables.ProcessEvents], new StoreQueueOptions { CommitWindow = TimeSpan.Zero, SpaceLeftBytes = 16 << 20, SpaceLeftAction = action });

    private static int Write(StoreQueue queue, int first, int count)
    {
        for (var i = first; i < first + count; i++)
        {
            queue.Write(TestTables.ProcessEvents, TestTables.ProcessRow(i, "/usr/bin/x", 1700000000 + i));
        }

        return first + count;
    }

    private static List<int> StoredPids(string database)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "PRAGMA integrity_check";
        Assert.Equal("ok", command.ExecuteScalar());
        command.CommandText = "SELECT pid FROM \"test_process_events_data\" ORDER BY eid";
        var pids = new List<int>();
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            pids.Add(reader.GetInt32(0));
        }

        return pids;
    }
}
