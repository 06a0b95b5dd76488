using System.Text.Json;
using Vigil.Daemon;
using Vigil.Flags;
using Vigil.Ingest;
using Vigil.Logging;
using Vigil.Schedule;
using Vigil.Store;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>What a daemon tick writes when no scheduled query is due: nothing, not even an empty state transaction.</summary>
public sealed class DaemonIdleTickTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-idle-").FullName;

    private string DatabasePath => Path.Combine(_dir, "db", "vigil.db");

    private string LogPath => Path.Combine(_dir, "log");

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void TicksWithoutADueQuery_CommitNoStateTransaction_ADueRunCommitsOnce_AndLogsItsRows()
    {
        Store("/bin/a", "/bin/b");
        string[] args = [$"--database_path={DatabasePath}", $"--config_path={Path.Combine(_dir, "vigil.conf")}", $"--logger_path={LogPath}", "--disable_audit=true", "--events_expiry=0"];
        var settings = DaemonSettings.FromFlags(FlagParser.ForVigil().Parse(args).Values);
        var check = ConfigLoader.Parse("""{"schedule": {"p": {"query": "SELECT path FROM process_events", "interval": 10}}}""", settings.ConfigPath, null);
        Assert.True(check.Ok);
        using var status = new GlogStatusLog(new FilesystemLoggerOptions { LoggerPath = LogPath });
        using var daemon = VigilDaemon.Start(settings, check.Config!, _ => check, status);
        var interval = (long)daemon.Scheduler.Queries[0].SplayedInterval;
        var due = 170_000_000 * interval;

        for (var second = due - interval + 1; second < due; second++)
        {
            Assert.True(daemon.Tick(second));
        }

        Assert.Equal(0, daemon.State.Commits);
        Assert.False(File.Exists(Path.Combine(LogPath, "vigil.results.log")) && new FileInfo(Path.Combine(LogPath, "vigil.results.log")).Length > 0);

        Assert.True(daemon.Tick(due));
        Assert.Equal(1, daemon.State.Commits);
        var paths = File.ReadAllLines(Path.Combine(LogPath, "vigil.results.log"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("columns").GetProperty("path").GetString())
            .ToList();
        Assert.Equal(["/bin/a", "/bin/b"], paths);

        Assert.True(daemon.Tick(due + 1));
        Assert.Equal(1, daemon.State.Commits);
    }

    private void Store(params string[] paths)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        using var store = EventStore.OpenReadWrite(DatabasePath, IngestOptions.EventTableSpecs);
        var table = ProcessEventsTable.Schema;
        foreach (var path in paths)
        {
            var row = new ColumnValue[table.Columns.Count];
            Array.Fill(row, ColumnValue.Null);
            row[table.IndexOf("time")] = ColumnValue.Of(1_700_000_000L);
            row[table.IndexOf("path")] = ColumnValue.Of(path);
            store.Writer.Append(table, row);
        }

        store.Writer.Commit();
    }
}
