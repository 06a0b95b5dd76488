using Microsoft.Data.Sqlite;
using Vigil.Daemon;
using Vigil.Logging;
using Vigil.Tables;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// The daemon's maintenance pass (<c>--events_max</c>, <c>--events_expiry</c>) driven tick by tick with chosen
/// times, without the kernel, against a real store and the glog status files.
/// </summary>
public sealed class DaemonMaintenanceTests : IDisposable
{
    private const long Now = 1_700_000_000;

    private readonly TickedDaemonDirectory _daemon = new();

    private string DatabasePath => _daemon.DatabasePath;

    private string LogPath => _daemon.LogPath;

    public void Dispose() => _daemon.Dispose();

    [Fact]
    public void EventsMax_DropsTheOldestByEid_OncePerInterval_AndWarnsWithTheExactCount()
    {
        Store(ProcessEventsTable.Schema, ("/a", Now), ("/b", Now), ("/c", Now), ("/d", Now), ("/e", Now), ("/f", Now), ("/g", Now), ("/h", Now), ("/i", Now), ("/j", Now));
        Store(SocketEventsTable.Schema, ("/s1", Now), ("/s2", Now));
        var settings = Settings("--events_max=3", "--events_expiry=0");
        Assert.Equal(60, settings.MaintenanceSeconds);

        using (var daemon = Start(settings, StatusLog()))
        {
            daemon.Tick(Now);
            Assert.Equal(["8 /h", "9 /i", "10 /j"], Stored(ProcessEventsTable.Schema));
            Assert.Equal(["1 /s1", "2 /s2"], Stored(SocketEventsTable.Schema));

            Store(ProcessEventsTable.Schema, ("/k", Now + 1), ("/l", Now + 1));
            daemon.Tick(Now + 1);
            daemon.Tick(Now + 59);
            Assert.Equal(["8 /h", "9 /i", "10 /j", "11 /k", "12 /l"], Stored(ProcessEventsTable.Schema));

            daemon.Tick(Now + 60);
            Assert.Equal(["10 /j", "11 /k", "12 /l"], Stored(ProcessEventsTable.Schema));
        }

        Assert.Equal(
            [
                "W Dropped 7 oldest events from process_events to stay within --events_max=3",
                "W Dropped 2 oldest events from process_events to stay within --events_max=3",
            ],
            Messages("vigil.WARNING"));
        Assert.Equal(
            [
                $"I vigil daemon started: database {DatabasePath}, config {settings.ConfigPath}, 0 scheduled queries, audit off",
                "W Dropped 7 oldest events from process_events to stay within --events_max=3",
                "W Dropped 2 oldest events from process_events to stay within --events_max=3",
                "I vigil daemon stopped",
            ],
            Messages("vigil.INFO"));
    }

    [Fact]
    public void EventsExpiry_DeletesRowsOlderThanNowMinusExpiry_KeepsTheOneAtTheBoundary_AndSaysHowMany()
    {
        Store(ProcessEventsTable.Schema, ("/old", Now - 150), ("/older-by-1", Now - 101), ("/boundary", Now - 100), ("/young", Now - 60), ("/now", Now));
        Store(UserEventsTable.Schema, ("/u-old", Now - 500), ("/u-now", Now));
        var settings = Settings("--events_max=0", "--events_expiry=100") with { MaintenanceSeconds = 30 };

        using (var daemon = Start(settings, StatusLog()))
        {
            daemon.Tick(Now);
            Assert.Equal(["3 /boundary", "4 /young", "5 /now"], Stored(ProcessEventsTable.Schema));
            Assert.Equal(["2 /u-now"], Stored(UserEventsTable.Schema));

            daemon.Tick(Now + 29);
            Assert.Equal(["3 /boundary", "4 /young", "5 /now"], Stored(ProcessEventsTable.Schema));

            daemon.Tick(Now + 30);
            Assert.Equal(["4 /young", "5 /now"], Stored(ProcessEventsTable.Schema));
        }

        Assert.False(File.Exists(Path.Combine(LogPath, "vigil.WARNING")));
        Assert.Equal(
            [
                $"I vigil daemon started: database {DatabasePath}, config {settings.ConfigPath}, 0 scheduled queries, audit off",
                "I Expired 2 events from process_events older than 100 seconds",
                "I Expired 1 events from user_events older than 100 seconds",
                "I Expired 1 events from process_events older than 100 seconds",
                "I vigil daemon stopped",
            ],
            Messages("vigil.INFO"));
    }

    private DaemonSettings Settings(params string[] flags) => _daemon.Settings(flags);

    private GlogStatusLog StatusLog() => _daemon.StatusLog();

    private static VigilDaemon Start(DaemonSettings settings, IStatusLog status) => TickedDaemonDirectory.Start(settings, status);

    private void Store(TableSpec table, params (string Path, long Time)[] rows) => _daemon.Store(table, rows);

    private List<string> Stored(TableSpec table)
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT eid || ' ' || path FROM {table.Name}_data ORDER BY eid";
        using var reader = command.ExecuteReader();
        var rows = new List<string>();
        while (reader.Read())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    // Each glog line as its severity letter and message, without the time, thread and source prefix.
    private List<string> Messages(string file) =>
        File.ReadAllLines(Path.Combine(LogPath, file))
            .Where(l => l.Length > 0 && "IWE".Contains(l[0], StringComparison.Ordinal) && l.Contains("] ", StringComparison.Ordinal))
            .Select(l => $"{l[0]} {l[(l.IndexOf("] ", StringComparison.Ordinal) + 2)..]}")
            .ToList();
}
