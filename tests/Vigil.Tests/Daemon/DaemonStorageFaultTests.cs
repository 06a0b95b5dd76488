using System.Text.Json;
using Microsoft.Data.Sqlite;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// The daemon's top level against a storage exception: with its database on a full tmpfs, the tick whose results
/// commit throws SQLite's "database or disk is full" (the SqliteException that once ended the process with "internal
/// error", exit 70), whose expiry cannot delete and whose WAL checkpoint cannot grow the file returns as usual, having
/// reported all three; once the tmpfs grows, the next turns succeed, say so, and the rows of the run that failed are
/// logged exactly once.
/// </summary>
public sealed class DaemonStorageFaultTests : IDisposable
{
    private const long Now = 1_700_000_000;
    private readonly TickedDaemonDirectory _daemon = new();
    private Tmpfs? _tmpfs;

    public void Dispose()
    {
        _tmpfs?.Dispose();
        _daemon.Dispose();
    }

    [RootFact]
    public void A_storage_exception_in_a_tick_is_reported_and_the_next_ticks_recover()
    {
        _tmpfs = new Tmpfs(Path.GetDirectoryName(_daemon.DatabasePath)!, "4m");
        _daemon.Store(ProcessEventsTable.Schema, ("/bin/old", Now - 1000), ("/bin/a", Now), ("/bin/b", Now));
        var settings = _daemon.Settings("--events_expiry=100", "--events_max=0") with { MaintenanceSeconds = 1 };
        using var daemon = TickedDaemonDirectory.Start(settings, _daemon.StatusLog(), """{"schedule": {"p": {"query": "SELECT path FROM process_events WHERE path LIKE '/bin/%'", "interval": 10}}}""");
        var interval = (long)daemon.Scheduler.Queries[0].SplayedInterval;
        var due = (Now / interval + 1) * interval;

        // No room left, not even in the WAL: a checkpoint empties it, then rows of new pages fill it exactly, so every
        // write has to grow a file, the checkpoint of those pages included.
        using (var connection = new SqliteConnection($"Data Source={_daemon.DatabasePath};Pooling=False"))
        {
            connection.Open();
            using var truncate = connection.CreateCommand();
            truncate.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
            truncate.ExecuteNonQuery();
        }

        _daemon.Store(ProcessEventsTable.Schema, [.. Enumerable.Range(0, 100).Select(i => ($"/usr/lib/{i}/{new string('x', 200)}", Now))]);
        Mounts.Fill(_tmpfs.Path);
        daemon.Tick(due);
        daemon.Tick(due + 1);
        Assert.Empty(Results());
        Assert.Equal(
            [
                $"E Expiring events older than --events_expiry=100 s failed: StoreException: {_daemon.DatabasePath}: database or disk is full; "
                    + "they stay stored until the next maintenance pass that succeeds (failures since the last report: 1; reported at most once a minute)",
                $"E Checkpointing {_daemon.DatabasePath}-wal failed: StoreException: {_daemon.DatabasePath}: database or disk is full; "
                    + "the -wal file grows until a checkpoint succeeds, tried again at the next maintenance pass (failures since the last report: 1; reported at most once a minute)",
                "E Writing results failed: SqliteException: SQLite Error 13: 'database or disk is full'.; retrying every second, the lines already committed "
                    + "first; runs until then are not logged (differential queries catch up, snapshots are skipped) (failures since the last report: 1; reported at most once a minute)",
            ],
            Messages("vigil.ERROR"));

        _tmpfs.Resize("64m");
        daemon.Tick(due + interval);
        Assert.Equal(["/bin/a", "/bin/b"], Results());
        Assert.Equal(
            [
                "I Expired 1 events from process_events older than 100 seconds",
                "I Expiring events older than --events_expiry=100 s works again after 0 s",
                $"I Checkpointing {_daemon.DatabasePath}-wal works again after 0 s",
                "I Storing initial results for new scheduled query: p",
                "I Writing results works again after 0 s",
            ],
            Messages("vigil.INFO")[^5..]);
    }

    [RootFact]
    public void A_pidfile_that_cannot_be_written_at_start_is_written_once_space_returns()
    {
        _tmpfs = new Tmpfs(Path.Combine(_daemon.LogPath, "run"), "1m");
        Mounts.Fill(_tmpfs.Path);
        var pidfile = Path.Combine(_tmpfs.Path, "vigil.pid");
        using (var daemon = TickedDaemonDirectory.Start(_daemon.Settings($"--pidfile={pidfile}"), _daemon.StatusLog()))
        {
            daemon.Tick(Now);
            Assert.Equal("", PidfileText.Read(pidfile));

            _tmpfs.Resize("2m");
            daemon.Tick(Now + 1);
            Assert.Equal($"{Environment.ProcessId}\n", PidfileText.Read(pidfile));
        }

        Assert.False(File.Exists(pidfile));
        Assert.Equal(
            [
                $"E Writing --pidfile={pidfile} failed: IOException: No space left on device : '{pidfile}'; retried every second (failures since the last report: 1; reported at most once a minute)",
                $"I Writing --pidfile={pidfile} works again after 0 s",
            ],
            Messages("vigil.INFO").Where(m => m.Contains("--pidfile", StringComparison.Ordinal)));
    }

    private List<string?> Results() =>
        [.. File.ReadAllLines(Path.Combine(_daemon.LogPath, "vigil.results.log"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("columns").GetProperty("path").GetString())];

    private List<string> Messages(string file) =>
        [.. File.ReadAllLines(Path.Combine(_daemon.LogPath, file))
            .Where(l => l.Length > 0 && "IWE".Contains(l[0], StringComparison.Ordinal) && l.Contains("] ", StringComparison.Ordinal))
            .Select(l => $"{l[0]} {l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]}")];
}
