using System.Text.Json;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>The tables about the running daemon, read by its own scheduled queries as a fleet manager reads them.</summary>
public sealed class DaemonHostTablesTests : IDisposable
{
    private readonly TickedDaemonDirectory _daemon = new();

    public void Dispose() => _daemon.Dispose();

    [Fact]
    public void Osquery_schedule_shows_the_daemons_queries_with_their_runs_and_osquery_info_its_config_and_instance()
    {
        const string config = """
            {"schedule": {
              "stats": {"query": "SELECT name, interval, executions, (SELECT value FROM osquery_flags WHERE name = 'pack_delimiter') AS delimiter FROM osquery_schedule ORDER BY name", "interval": 10, "snapshot": true},
              "info": {"query": "SELECT config_hash, config_valid, instance_id FROM osquery_info", "interval": 10, "snapshot": true}
            }}
            """;
        var settings = _daemon.Settings("--schedule_splay_percent=101", "--pack_delimiter=/");
        var status = _daemon.StatusLog();
        using (var daemon = TickedDaemonDirectory.Start(settings, status, config))
        {
            daemon.Tick(1_700_000_000);
            daemon.Tick(1_700_000_010);
        }

        string instance;
        using (var state = new Vigil.Daemon.DaemonStateStore(_daemon.DatabasePath))
        {
            instance = state.InstanceId();
        }

        var lines = File.ReadAllLines(Path.Combine(_daemon.LogPath, "vigil.snapshots.log")).Select(line => JsonDocument.Parse(line).RootElement).ToList();
        var stats = lines.Where(line => line.GetProperty("name").GetString() == "stats").Select(Snapshot).ToList();
        var info = lines.Where(line => line.GetProperty("name").GetString() == "info").Select(Snapshot).ToList();

        // The scheduler visits "info" before "stats", and a run is counted once it has finished.
        Assert.Equal(
            [["info|10|1|/", "stats|10|0|/"], ["info|10|2|/", "stats|10|1|/"]],
            stats.Select(rows => rows.Select(row => string.Join('|', row["name"], row["interval"], row["executions"], row["delimiter"]))));
        Assert.All(info, rows => Assert.Equal([Vigil.Schedule.ConfigLoader.Hash(config), "1", instance], [rows.Single()["config_hash"], rows.Single()["config_valid"], rows.Single()["instance_id"]]));
    }

    [Fact]
    public void The_instance_id_is_made_once_per_database_and_read_without_writing()
    {
        Vigil.Daemon.VigilDaemon.PrepareStore(_daemon.DatabasePath);
        Assert.Null(Vigil.Daemon.DaemonStateStore.ReadInstanceId(_daemon.DatabasePath));

        var instance = Vigil.Daemon.VigilDaemon.InstanceId(_daemon.DatabasePath);
        Assert.Equal(Guid.Parse(instance).ToString("D"), instance);
        Assert.Equal(instance, Vigil.Daemon.VigilDaemon.InstanceId(_daemon.DatabasePath));
        Assert.Equal(instance, Vigil.Daemon.DaemonStateStore.ReadInstanceId(_daemon.DatabasePath));
    }

    private static List<Dictionary<string, string>> Snapshot(JsonElement line) =>
        [.. line.GetProperty("snapshot").EnumerateArray().Select(row => row.EnumerateObject().ToDictionary(cell => cell.Name, cell => cell.Value.GetString()!))];
}
