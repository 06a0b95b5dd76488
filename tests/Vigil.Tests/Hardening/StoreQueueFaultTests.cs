using System.Diagnostics;
using Microsoft.Data.Sqlite;
using Vigil.Ingest;
using Vigil.Tables;
using Vigil.Tests.Store;
using Xunit;

namespace Vigil.Tests.Hardening;

/// <summary>The store queue on a file system that fills up: it counts and reports, keeps going, and recovers.</summary>
public sealed class StoreQueueFaultTests
{
    private static readonly string Padding = new('x', 8000);

    [RootFact]
    public void A_full_file_system_drops_rows_reports_once_per_interval_and_storing_resumes_when_space_returns()
    {
        using var directory = new TempDirectory();
        var mountPoint = Directory.CreateDirectory(directory.File("small")).FullName;
        Run("mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", mountPoint);
        try
        {
            var database = Path.Combine(mountPoint, "vigil.db");
            var filler = Path.Combine(mountPoint, "filler");
            File.WriteAllBytes(filler, new byte[1024 * 1024]);
            var errors = new List<string>();
            // No commit window: the test waits for each row to be stored or dropped before writing the next.
            var queue = new StoreQueue(database, [TestTables.ProcessEvents], errors.Add, TimeSpan.FromHours(1), commitWindow: TimeSpan.Zero);
            try
            {
                var written = 0L;
                while (queue.Dropped == 0 && written < 2000)
                {
                    queue.Write(TestTables.ProcessEvents, Row(written++));
                    WaitForWriter(queue, written);
                }

                Assert.True(queue.Dropped > 0, "2000 rows of 8 KB fit in 2 MB");
                var committedWhenFull = queue.Committed;
                for (var i = 0; i < 50; i++)
                {
                    queue.Write(TestTables.ProcessEvents, Row(written++));
                }

                WaitForWriter(queue, written);
                Assert.Equal(committedWhenFull, queue.Committed);
                Assert.Equal(written, queue.Committed + queue.Dropped);
                var error = Assert.Single(errors);
                Assert.StartsWith($"cannot store events: {database}: database or disk is full; ", error);

                File.Delete(filler);
                queue.Write(TestTables.ProcessEvents, Row(written++));
                WaitForWriter(queue, written);
                Assert.Equal(committedWhenFull + 1, queue.Committed);
                Assert.Equal(written, queue.Committed + queue.Dropped);
            }
            finally
            {
                queue.Dispose();
            }

            using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = database, Pooling = false }.ToString());
            connection.Open();
            using var check = connection.CreateCommand();
            check.CommandText = "PRAGMA integrity_check";
            Assert.Equal("ok", check.ExecuteScalar());
            check.CommandText = "SELECT count(*) FROM \"test_process_events_data\"";
            Assert.Equal(queue.Committed, (long)check.ExecuteScalar()!);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Run("umount", mountPoint);
        }
    }

    private static ColumnValue[] Row(long n)
    {
        var row = TestTables.ProcessRow(n, "/usr/bin/x" + n, 1700000000 + n);
        row[2] = ColumnValue.Of(Padding + n);
        return row;
    }

    private static void WaitForWriter(StoreQueue queue, long written)
    {
        var deadline = Stopwatch.StartNew();
        while (queue.Committed + queue.Dropped < written)
        {
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(10), "the writer stopped taking rows");
            Thread.Sleep(1);
        }
    }

    private static void Run(string file, params string[] args)
    {
        using var process = Process.Start(new ProcessStartInfo(file, args) { RedirectStandardError = true })!;
        var error = process.StandardError.ReadToEnd();
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{file} {string.Join(' ', args)}: {error}");
    }
}
