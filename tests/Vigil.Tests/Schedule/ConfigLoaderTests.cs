using Vigil.Schedule;
using Xunit;

namespace Vigil.Tests.Schedule;

public sealed class ConfigLoaderTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-config-").FullName;
    private readonly FakeQueryRunner _compiler = new();
    private readonly ConfigLoadOptions _options = new() { Hostname = "vm" }; // shard 3

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [Fact]
    public void LoadsAFullConfig()
    {
        Write("packs/net.json", """
            {
              // a pack file, with osquery-style comments
              # and a shell-style one
              "platform": "linux",
              "discovery": ["SELECT 1 FROM processes WHERE name = 'sshd'"],
              "queries": {
                "sockets": {"query": "SELECT * FROM socket_events", "interval": 60, "removed": false}
              }
            }
            """);
        string path = Write("osquery.conf", """
            {
              "options": {"host_identifier": "uuid", "schedule_splay_percent": 20, "disable_audit": false},
              "schedule": {
                "users": {"query": "SELECT * FROM users", "interval": "3600", "snapshot": true},
                "procs": {"query": "SELECT * FROM process_events", "interval": 10, "startup_priority": 1},
                "mac_only": {"query": "SELECT * FROM launchd", "platform": "darwin"},
                "default_interval": {"query": "SELECT 1"},
                "sharded_out": {"query": "SELECT 2", "shard": 2},
                "too_new": {"query": "SELECT 3", "version": "9.0.0"}
              },
              "packs": {
                "net": "packs/net.json",
                "inline": {"queries": {"uptime": {"query": "SELECT * FROM uptime", "interval": 300, "platform": "posix"}}},
                "windows": {"platform": "windows", "queries": {"x": {"query": "SELECT * FROM wmi"}}}
              },
              "decorators": {"load": ["SELECT hostname FROM system_info"], "always": ["SELECT 1 AS a"], "interval": {"3600": ["SELECT 2 AS b"]}},
              "file_paths": {"etc": ["/etc/%%"]},
              "events": {"disable_subscribers": ["user_events"]},
              "audit": {"rules": []}
            }
            """);

        var check = ConfigLoader.Load(path, _compiler, _options);

        Assert.Empty(check.Errors);
        var config = check.Config!;
        Assert.Equal(new Dictionary<string, string> { ["host_identifier"] = "uuid", ["schedule_splay_percent"] = "20", ["disable_audit"] = "false" }, config.Options);
        Assert.Equal(["procs", "default_interval", "users"], config.Schedule.Select(q => q.Name));
        Assert.Equal((10UL, false, true, (ulong?)1), (config.Schedule[0].Interval, config.Schedule[0].Snapshot, config.Schedule[0].Removed, config.Schedule[0].StartupPriority));
        Assert.Equal(3600UL, config.Schedule[1].Interval);
        Assert.True(config.Schedule[2].Snapshot);

        Assert.Equal(["net", "inline", "windows"], config.Packs.Select(p => p.Name));
        var net = config.Packs[0];
        Assert.Equal(Path.Combine(_dir, "packs/net.json"), net.SourcePath);
        Assert.Equal(["SELECT 1 FROM processes WHERE name = 'sshd'"], net.Discovery);
        var sockets = Assert.Single(net.Queries);
        Assert.Equal(("pack_net_sockets", "net", "sockets", 60UL, false), (sockets.Name, sockets.Pack, sockets.QueryName, sockets.Interval, sockets.Removed));
        Assert.Equal("pack_inline_uptime", Assert.Single(config.Packs[1].Queries).Name);
        Assert.False(config.Packs[2].Applies);
        Assert.Empty(config.Packs[2].Queries);

        Assert.Equal(["SELECT hostname FROM system_info"], config.Decorators.Load);
        Assert.Equal(["SELECT 1 AS a"], config.Decorators.Always);
        Assert.Equal(["SELECT 2 AS b"], config.Decorators.Interval[3600]);
        Assert.Equal("{\"etc\": [\"/etc/%%\"]}", config.FilePaths);
        Assert.Equal("{\"disable_subscribers\": [\"user_events\"]}", config.Events);
        Assert.Equal("{\"rules\": []}", config.Audit);
    }

    [Fact]
    public void MachineShardFollowsOsquerysSha1Rule()
    {
        Assert.Equal(3UL, ConfigLoader.MachineShard("vm"));
        Assert.Equal(52UL, ConfigLoader.MachineShard("a"));
        Assert.Equal(77UL, ConfigLoader.MachineShard("web-01"));
    }

    [Theory]
    [InlineData(null, true)]
    [InlineData("linux", true)]
    [InlineData("posix", true)]
    [InlineData("all", true)]
    [InlineData("any", true)]
    [InlineData("darwin,linux", true)]
    [InlineData("darwin", false)]
    [InlineData("windows", false)]
    public void PlatformsThatRunHere(string? platform, bool applies)
    {
        Assert.Equal(applies, ConfigLoader.PlatformApplies(platform));
    }

    [Theory]
    [InlineData("{\n  \"schedule\": {\n    \"a\": {\"query\": \"SELECT 1\",}\n  }\n}", "3:31: not valid JSON: The JSON object contains a trailing comma at the end which is not supported in this mode. Change the reader options.")]
    [InlineData("{\n  \"schedule\": {\n", "3:1: not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.")]
    [InlineData("[1, 2]", "the root of the document must be a JSON object")]
    [InlineData("{\"scheduel\": {}}", "scheduel: unknown top-level key (expected one of options, schedule, packs, decorators, file_paths, exclude_paths, file_accesses, events, audit)")]
    [InlineData("{\"schedule\": {\"proc\": {\"query\": \"SELECT 1\", \"interval\": 0}}}", "schedule.proc.interval: interval must be between 1 and 604800 seconds, got 0")]
    [InlineData("{\"schedule\": {\"proc\": {\"query\": \"SELECT 1\", \"interval\": -5}}}", "schedule.proc.interval: interval must be between 1 and 604800 seconds, got -5")]
    [InlineData("{\"schedule\": {\"proc\": {\"query\": \"SELECT 1\", \"interval\": 604801}}}", "schedule.proc.interval: interval must be between 1 and 604800 seconds, got 604801")]
    [InlineData("{\"schedule\": {\"proc\": {\"query\": \"SELECT 1\", \"interval\": 1.5}}}", "schedule.proc.interval: interval must be an integer number of seconds, got 1.5")]
    [InlineData("{\"schedule\": {\"proc\": {\"interval\": 60}}}", "schedule.proc.query: missing query")]
    [InlineData("{\"schedule\": {\"proc\": {\"query\": 42}}}", "schedule.proc.query: must be a string")]
    [InlineData("{\"schedule\": {\"proc\": {\"query\": \"SELEC syntax error\"}}}", "schedule.proc.query: query does not compile: near \"syntax\": syntax error")]
    [InlineData("{\"schedule\": {\"proc\": {\"query\": \"SELECT 1\", \"snapshot\": \"yes\"}}}", "schedule.proc.snapshot: must be a boolean")]
    [InlineData("{\"schedule\": {\"proc_counter\": {\"query\": \"SELECT 1\"}}}", "schedule.proc_counter: query name is reserved (it starts with query., cache. or config_views., or ends with epoch or counter)")]
    [InlineData("{\"schedule\": []}", "schedule: must be an object")]
    [InlineData("{\"options\": {\"verbose\": [true]}}", "options.verbose: must be a boolean, number or string")]
    [InlineData("{\"packs\": {\"p\": {\"queries\": {\"q\": {\"query\": \"SELECT 1\", \"interval\": 0}}}}}", "packs.p.queries.q.interval: interval must be between 1 and 604800 seconds, got 0")]
    [InlineData("{\"packs\": {\"p\": {\"discovery\": [\"bad syntax error\"]}}}", "packs.p.discovery[0]: query does not compile: near \"syntax\": syntax error")]
    [InlineData("{\"packs\": {\"p\": 3}}", "packs.p: a pack must be a path or an object")]
    [InlineData("{\"decorators\": {\"interval\": {\"90\": [\"SELECT 1\"]}}}", "decorators.interval.90: interval must be a positive multiple of 60 seconds")]
    [InlineData("{\"decorators\": {\"always\": [\"SELECT 1\", 2]}}", "decorators.always[1]: must be a string")]
    public void ReportsEachProblemWithFileAndKeyPathOrLine(string json, string expected)
    {
        string path = Write("bad.conf", json);

        var check = ConfigLoader.Load(path, _compiler, _options);

        Assert.Null(check.Config);
        string error = Assert.Single(check.Errors).ToString();
        Assert.Equal(expected.Contains(": not valid JSON", StringComparison.Ordinal) ? $"{path}:{expected}" : $"{path}: {expected}", error);
    }

    [Fact]
    public void ListsEveryErrorOfAFile()
    {
        string path = Write("bad.conf", """
            {
              "schedule": {
                "a": {"query": "SELECT 1", "interval": 0},
                "b": {"interval": 10}
              },
              "views": {}
            }
            """);

        var check = ConfigLoader.Load(path, _compiler, _options);

        Assert.Equal(
            [
                $"{path}: schedule.a.interval: interval must be between 1 and 604800 seconds, got 0",
                $"{path}: schedule.b.query: missing query",
                $"{path}: views: unknown top-level key (expected one of options, schedule, packs, decorators, file_paths, exclude_paths, file_accesses, events, audit)",
            ],
            check.Errors.Select(e => e.ToString()).ToArray());
    }

    [Fact]
    public void PackFileErrorsNameThePackFile()
    {
        string pack = Write("packs/bad.json", "{\n  \"queries\": {\n    \"q\": {\"query\": \"SELECT 1\", \"interval\": 999999}\n  }\n}");
        string broken = Write("packs/broken.json", "{\n  \"queries\": \n");
        string path = Write("osquery.conf", "{\"packs\": {\"bad\": \"packs/bad.json\", \"broken\": \"packs/broken.json\", \"gone\": \"packs/missing.json\"}}");

        var check = ConfigLoader.Load(path, _compiler, _options);

        Assert.Equal(
            [
                $"{pack}: queries.q.interval: interval must be between 1 and 604800 seconds, got 999999",
                $"{broken}:3:1: not valid JSON: Expected depth to be zero at the end of the JSON payload. There is an open JSON object or array that should be closed.",
                $"{path}: packs.gone: pack path unreadable: Could not find file '{Path.Combine(_dir, "packs/missing.json")}'.",
            ],
            check.Errors.Select(e => e.ToString()).ToArray());
    }

    [Fact]
    public void AnUnreadableConfigIsAnError()
    {
        string path = Path.Combine(_dir, "absent.conf");

        var check = ConfigLoader.Load(path, _compiler, _options);

        Assert.Equal($"{path}: config unreadable: Could not find file '{path}'.", Assert.Single(check.Errors).ToString());
    }

    private string Write(string name, string content)
    {
        string path = Path.Combine(_dir, name);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, content);
        return path;
    }
}
