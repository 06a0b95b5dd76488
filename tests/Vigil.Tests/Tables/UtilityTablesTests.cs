using System.Diagnostics;
using Vigil.Flags;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Schedule;
using Vigil.Tables;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Tables;

/// <summary>The tables about Vigil itself: osquery_info, osquery_flags, osquery_schedule, osquery_registry.</summary>
public sealed class UtilityTablesTests
{
    [Fact]
    public void Schemas_are_osquerys_and_utility_tables()
    {
        Assert.Equal(
            ["pid", "uuid", "instance_id", "version", "config_hash", "config_valid", "extensions", "build_platform", "build_distro", "start_time", "watcher", "platform_mask"],
            SchemaText.Of(OsqueryInfoTable.Schema));
        Assert.Equal(["name", "type", "description", "default_value", "value", "shell_only"], SchemaText.Of(OsqueryFlagsTable.Schema));
        Assert.Equal(
            ["name", "query", "interval", "executions", "last_executed", "denylisted", "output_size", "wall_time", "wall_time_ms", "last_wall_time_ms",
             "user_time", "last_user_time", "system_time", "last_system_time", "average_memory", "last_memory", "blacklisted*"],
            SchemaText.Of(OsqueryScheduleTable.Schema));
        Assert.Equal(["registry", "name", "owner_uuid", "internal", "active"], SchemaText.Of(OsqueryRegistryTable.Schema));
        Assert.All([OsqueryInfoTable.Schema, OsqueryFlagsTable.Schema, OsqueryScheduleTable.Schema, OsqueryRegistryTable.Schema, TimeTable.Schema], spec => Assert.True(spec.Utility));
        Assert.False(OsVersionTable.Schema.Utility);
    }

    [Fact]
    public void Osquery_info_describes_this_process_and_the_config_it_was_given()
    {
        var table = new OsqueryInfoTable("7c8e1f0e-3c5b-4b1e-9d1e-2f0a5b6c7d8e");
        var before = new TableRow(OsqueryInfoTable.Schema, Assert.Single(table.Generate()));
        table.SetConfig("5d09c276c81692b6801587b479c53e36d9750e2b", valid: true);
        var after = new TableRow(OsqueryInfoTable.Schema, Assert.Single(table.Generate()));
        using var self = Process.GetCurrentProcess();

        Assert.Equal(Environment.ProcessId, before.Integer("pid"));
        Assert.Equal(new SystemInfoTable().Generate().Single()[1].Text, before.Text("uuid"));
        Assert.Equal("7c8e1f0e-3c5b-4b1e-9d1e-2f0a5b6c7d8e", before.Text("instance_id"));
        Assert.Equal(OsqueryInfoTable.Version, before.Text("version"));
        Assert.Equal((string.Empty, 0L), (before.Text("config_hash"), before.Integer("config_valid")));
        Assert.Equal(("5d09c276c81692b6801587b479c53e36d9750e2b", 1L), (after.Text("config_hash"), after.Integer("config_valid")));
        Assert.Equal(("inactive", "linux", -1L, 9L), (before.Text("extensions"), before.Text("build_platform"), before.Integer("watcher"), before.Integer("platform_mask")));
        Assert.Equal(new DateTimeOffset(self.StartTime).ToUnixTimeSeconds(), before.Integer("start_time"));
    }

    [Fact]
    public void The_version_is_the_one_vigil_prints()
    {
        Assert.Equal(Vigil.Tests.Cli.VigilCliTests.VersionLine, Vigil.Tests.Cli.VigilProcess.Run("", "--version").Out);
    }

    [Fact]
    public void Config_hash_is_osquerys_sha1_of_the_sources_sha1()
    {
        // sha1("{\"schedule\": {}}\n") is 235349d4..., and the hash is the sha1 of that hex text.
        Assert.Equal("5d09c276c81692b6801587b479c53e36d9750e2b", ConfigLoader.Hash("{\"schedule\": {}}\n"));
        Assert.Equal("5d09c276c81692b6801587b479c53e36d9750e2b", ConfigLoader.Parse("{\"schedule\": {}}\n", "/etc/vigil/vigil.conf", compiler: null).Config!.Hash);
    }

    [Fact]
    public void Osquery_flags_lists_every_flag_with_its_value()
    {
        var parsed = FlagParser.ForVigil().Parse(["--pack_delimiter=/", "--events_expiry=60"]);
        var rows = new OsqueryFlagsTable(VigilFlags.All, parsed.Values).Generate()
            .Select(values => new TableRow(OsqueryFlagsTable.Schema, values)).ToDictionary(row => row.Text("name")!);

        Assert.Equal(VigilFlags.All.Select(flag => flag.Name), rows.Keys);
        Assert.Equal(("string", "_", "/", 0L), (rows["pack_delimiter"].Text("type"), rows["pack_delimiter"].Text("default_value"), rows["pack_delimiter"].Text("value"), rows["pack_delimiter"].Integer("shell_only")));
        Assert.Equal(("uint64", "3600", "60"), (rows["events_expiry"].Text("type"), rows["events_expiry"].Text("default_value"), rows["events_expiry"].Text("value")));
        Assert.Equal(("bool", "true", "true"), (rows["disable_audit"].Text("type"), rows["disable_audit"].Text("default_value"), rows["disable_audit"].Text("value")));
        Assert.Equal(1, rows["json"].Integer("shell_only"));
        Assert.Equal("Seconds an event stays in the store", rows["events_expiry"].Text("description"));
    }

    [Fact]
    public void Osquery_schedule_is_empty_without_a_scheduler_and_shows_each_runs_cost()
    {
        var table = new OsqueryScheduleTable();
        Assert.Empty(table.Generate());

        var runner = new FakeQueryRunner();
        runner.Answer("SELECT pid, name FROM processes", FakeQueryRunner.Rows(["pid", "name"], ["1", "init"], ["42", "bash"]));
        var clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_700_000_040));
        var config = new OsqueryConfig
        {
            Schedule =
            [
                new ScheduledQuery { Name = "procs", Pack = "main", QueryName = "procs", Sql = "SELECT pid, name FROM processes", Interval = 60 },
                new ScheduledQuery { Name = "pack_audit_broken", Pack = "audit", QueryName = "broken", Sql = "SELECT nothing", Interval = 3600 },
            ],
        };
        var scheduler = new Scheduler(config, runner, new InMemoryResultStore(), new RecordingResultLogger(), new RecordingStatusLog(),
            new SchedulerOptions { HostIdentifier = "vm", SplayPercent = 101 }, clock);
        table.Source = scheduler;
        scheduler.Launch(config.Schedule[0]);
        scheduler.Launch(config.Schedule[0]);
        scheduler.Launch(config.Schedule[1]);

        var rows = table.Generate().Select(values => new TableRow(OsqueryScheduleTable.Schema, values)).ToList();

        Assert.Equal(
            [("procs", "SELECT pid, name FROM processes", 60L, 2L, 1_700_000_040L, 0L, 50L), ("pack_audit_broken", "SELECT nothing", 3600L, 1L, 1_700_000_040L, 0L, 0L)],
            rows.Select(row => (row.Text("name"), row.Text("query"), row.Integer("interval"), row.Integer("executions"), row.Integer("last_executed"), row.Integer("denylisted"), row.Integer("output_size"))));
        Assert.All(rows, row => Assert.Equal(row.Integer("denylisted"), row.Integer("blacklisted")));
        Assert.All(rows, row => Assert.InRange(row.Integer("last_wall_time_ms"), 0, row.Integer("wall_time_ms")));
    }

    [Fact]
    public void Performance_adds_runs_as_osquery_does()
    {
        var performance = QueryPerformance.None
            .After(wallMilliseconds: 1500, outputBytes: 100, userMilliseconds: 20, systemMilliseconds: 0, memoryGrowth: 4096, finishedAt: 10)
            .After(wallMilliseconds: 700, outputBytes: 50, userMilliseconds: 0, systemMilliseconds: 5, memoryGrowth: 1024, finishedAt: 20)
            .After(wallMilliseconds: 10, outputBytes: 0, userMilliseconds: 3, systemMilliseconds: -1, memoryGrowth: -8192, finishedAt: 30);

        Assert.Equal(
            new QueryPerformance
            {
                Executions = 3, LastExecuted = 30, OutputSize = 150, WallTime = 1, WallTimeMs = 2210, LastWallTimeMs = 10,
                UserTime = 23, LastUserTime = 3, SystemTime = 5, LastSystemTime = 5, AverageMemory = 2560, LastMemory = 1024,
            },
            performance);
    }

    [Fact]
    public void Osquery_registry_lists_the_config_and_logger_plugins_and_every_table()
    {
        var flags = FlagParser.ForVigil().Parse(["--logger_plugin=stdout"]).Values;
        var tables = new HostTables(flags, IngestOptions.EventTableSpecs, () => default(AuditStatus), "instance");
        var registry = tables.All.Single(table => table.Spec.Name == "osquery_registry");

        var rows = registry.Generate().Select(row => string.Join('|', row.Select(value => value.ToString()))).ToList();

        var tableNames = IngestOptions.EventTableSpecs.Select(spec => spec.Name).Concat(tables.All.Select(table => table.Spec.Name)).Order(StringComparer.Ordinal);
        Assert.Equal(
            [
                "config|filesystem|0|0|1",
                "logger|filesystem|0|0|0",
                "logger|stdout|0|0|1",
                .. tableNames.Select(name => $"table|{name}|0|{(name is "osquery_flags" or "osquery_info" or "osquery_registry" or "osquery_schedule" or "time" ? 1 : 0)}|1"),
            ],
            rows);
    }

    [Fact]
    public void The_host_tables_are_osquerys_linux_tables_and_vigils_own()
    {
        var tables = new HostTables(FlagValues.Defaults, IngestOptions.EventTableSpecs, () => default(AuditStatus), "instance");

        Assert.Equal(
            ["audit_status", "bpf_status", "groups", "interface_addresses", "interface_details", "kernel_info", "listening_ports", "logged_in_users", "mounts",
             "os_version", "osquery_flags", "osquery_info", "osquery_registry", "osquery_schedule", "platform_info", "processes", "routes",
             "system_info", "time", "uptime", "users"],
            tables.All.Select(table => table.Spec.Name).Order(StringComparer.Ordinal));
    }
}
