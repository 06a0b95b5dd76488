using Microsoft.Data.Sqlite;
using Vigil.Daemon;
using Vigil.Ingest;
using Vigil.Tables;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Daemon;

public sealed class MemoryWatchdogTests : IDisposable
{
    private const long MB = 1024 * 1024;
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-watchdog-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void UnderTheLimit_ShedsNothing()
    {
        var status = new RecordingStatusLog();
        var watchdog = new MemoryWatchdog(100 * MB, () => 100 * MB, () => throw new InvalidOperationException("shed called"), status);
        Assert.Equal(0, watchdog.Check());
        Assert.Equal((0L, 0L), (watchdog.Exceeded, watchdog.Shed));
        Assert.Empty(status.Lines);
    }

    [Fact]
    public void OverTheLimit_ShedsQueuedEvents_AndSaysHowMany()
    {
        var status = new RecordingStatusLog();
        var watchdog = new MemoryWatchdog(100 * MB, () => 150 * MB, () => 42, status);
        Assert.Equal(42, watchdog.Check());
        Assert.Equal(42, watchdog.Check());
        Assert.Equal((2L, 84L), (watchdog.Exceeded, watchdog.Shed));
        Assert.Equal(
            "WARNING memory 150 MB is above --watchdog_memory_limit 100 MB: dropped 42 events read from the kernel and not yet stored",
            status.Lines[0]);
    }

    [Theory]
    [InlineData(0, 200)]
    [InlineData(-5, 200)]
    [InlineData(350, 350)]
    public void LimitFromFlag(long flag, long megabytes) => Assert.Equal(megabytes * MB, MemoryWatchdog.LimitBytes(flag));

    [Fact]
    public void ResidentBytes_IsThisProcesssResidentSet()
    {
        var statusLine = File.ReadAllLines("/proc/self/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        var fromStatus = long.Parse(statusLine.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]) * 1024;
        Assert.InRange(MemoryWatchdog.ReadResidentBytes(), fromStatus / 2, fromStatus * 2);
    }

    // A second connection holds the write lock, so the writer thread blocks on its first insert and rows pile up
    // in the queue: exactly the memory Shed gives back. The rows it sheds are gone; the others are stored.
    [Fact]
    public void Shed_DropsWhatWaits_AndTheRestIsStored()
    {
        var path = Path.Combine(_dir, "vigil.db");
        var queue = new StoreQueue(path, IngestOptions.EventTableSpecs);
        var row = new ColumnValue[UserEventsTable.Schema.Columns.Count];
        Array.Fill(row, ColumnValue.Of(1));
        using (var blocker = new SqliteConnection($"Data Source={path}"))
        {
            blocker.Open();
            using var lockCommand = blocker.CreateCommand();
            lockCommand.CommandText = "BEGIN IMMEDIATE";
            lockCommand.ExecuteNonQuery();
            for (var i = 0; i < 1000; i++)
            {
                queue.Write(UserEventsTable.Schema, row);
            }

            Thread.Sleep(200);
            var shed = queue.Shed();
            Assert.InRange(shed, 900, 1000);
            Assert.Equal(shed, queue.ShedRows);
            lockCommand.CommandText = "ROLLBACK";
            lockCommand.ExecuteNonQuery();
            queue.Write(UserEventsTable.Schema, row);
            queue.Dispose();
            Assert.Equal(1001 - shed, queue.Committed);
        }

        using var check = new SqliteConnection($"Data Source={path};Mode=ReadOnly");
        check.Open();
        using var count = check.CreateCommand();
        count.CommandText = "SELECT count(*) FROM user_events_data";
        Assert.Equal(1001 - queue.ShedRows, (long)count.ExecuteScalar()!);
    }
}
