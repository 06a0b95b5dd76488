using System.Text.Json;
using Vigil.Schedule;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>What a daemon tick writes when no scheduled query is due: nothing, not even an empty state transaction.</summary>
public sealed class DaemonIdleTickTests : IDisposable
{
    private readonly TickedDaemonDirectory _daemon = new();

    private string LogPath => _daemon.LogPath;

    public void Dispose() => _daemon.Dispose();

    [Fact]
    public void TicksWithoutADueQuery_CommitNoStateTransaction_ADueRunCommitsOnce_AndLogsItsRows()
    {
        _daemon.Store(ProcessEventsTable.Schema, ("/bin/a", 1_700_000_000), ("/bin/b", 1_700_000_000));
        var settings = _daemon.Settings("--events_expiry=0");
        var status = _daemon.StatusLog();
        using var daemon = TickedDaemonDirectory.Start(settings, status, """{"schedule": {"p": {"query": "SELECT path FROM process_events", "interval": 10}}}""");
        var interval = (long)daemon.Scheduler.Queries[0].SplayedInterval;
        var due = 170_000_000 * interval;

        for (var second = due - interval + 1; second < due; second++)
        {
            daemon.Tick(second);
        }

        Assert.Equal(0, daemon.State.Commits);
        Assert.False(File.Exists(Path.Combine(LogPath, "vigil.results.log")) && new FileInfo(Path.Combine(LogPath, "vigil.results.log")).Length > 0);

        daemon.Tick(due);
        Assert.Equal(1, daemon.State.Commits);
        var paths = File.ReadAllLines(Path.Combine(LogPath, "vigil.results.log"))
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("columns").GetProperty("path").GetString())
            .ToList();
        Assert.Equal(["/bin/a", "/bin/b"], paths);

        daemon.Tick(due + 1);
        Assert.Equal(1, daemon.State.Commits);
    }
}
