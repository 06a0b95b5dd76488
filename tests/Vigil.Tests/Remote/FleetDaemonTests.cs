using System.Text.Json;
using Vigil.Tests.Cli;
using Vigil.Tests.Daemon;
using Xunit;

namespace Vigil.Tests.Remote;

/// <summary>
/// The built <c>vigil daemon</c> against <see cref="FleetTestServer"/> over TLS, without the kernel: enrollment, the
/// served config, live queries with their exact rows and statuses, re-enrollment, the node key kept across restarts,
/// secrets kept out of every log, and a server certificate that does not match.
/// </summary>
[System.Runtime.Versioning.UnsupportedOSPlatform("windows")]
public sealed class FleetDaemonTests
{
    private const string ServedConfig = """{"schedule": {"served_marker": {"query": "SELECT 'served' AS marker, unixepoch() AS second", "interval": 1}}}""";

    [Fact]
    public async Task Enrolls_AppliesTheServedConfig_AnswersLiveQueries_EnrollsAgainWhenForgotten_KeepsItsKeyAcrossRestarts()
    {
        await using var fleet = new FleetHarness(audit: false);
        fleet.Server.Config = ServedConfig;
        await fleet.Server.StartAsync();
        var daemon = fleet.Start("--remote_query_time_limit=1", "--logger_tls_compress=true");

        var enrollment = Assert.Single(fleet.Server.Enrollments);
        Assert.Equal(FleetHarness.Secret, enrollment.GetProperty("enroll_secret").GetString());
        Assert.Equal("vigil-test-host", enrollment.GetProperty("host_identifier").GetString());
        Assert.Equal("9", enrollment.GetProperty("platform_type").GetString());
        Assert.Equal(JsonValueKind.Object, enrollment.GetProperty("host_details").ValueKind);

        // The query exists only in the served config: its lines reach the server through the TLS logger.
        fleet.WaitFor(() => fleet.Server.Results().Any(l => FleetHarness.Column(l, "served_marker", "marker") == "served"), 10, "no served_marker line");
        var line = fleet.Server.Results().First(l => l.GetProperty("name").GetString() == "served_marker");
        Assert.Equal("vigil-test-host", line.GetProperty("hostIdentifier").GetString());
        Assert.Equal("added", line.GetProperty("action").GetString());
        fleet.WaitFor(() => fleet.Server.StatusMessages().Any(m => m.StartsWith("vigil daemon started", StringComparison.Ordinal)), 10, "no status line");
        Assert.All(fleet.Server.LogRequests, request => Assert.True(request.Gzip));

        fleet.Server.Ask("rows", "SELECT 1 AS one, 'x' AS two UNION ALL SELECT 2, NULL");
        fleet.Server.Ask("missing", "SELECT * FROM no_such_table");
        fleet.Server.Ask("attach", "ATTACH DATABASE ':memory:' AS other");
        fleet.Server.Ask("write", "CREATE TEMP TABLE t(x)");
        fleet.Server.Ask("endless", "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c");
        fleet.Server.Ask("undiscovered", "SELECT 3", discovery: "SELECT 1 WHERE 0");
        fleet.Server.Ask("discovered", "SELECT 4 AS four", discovery: "SELECT 1");
        fleet.Server.Ask("schedule", "SELECT name, interval, executions > 0 AS ran FROM osquery_schedule");
        fleet.Server.Ask("config", "SELECT config_valid, length(config_hash) AS hash_length FROM osquery_info");
        fleet.Server.Ask("flags", "SELECT value FROM osquery_flags WHERE name = 'remote_query_time_limit'");
        fleet.WaitFor(() => !fleet.Server.Writes.IsEmpty, 15, "no distributed write");
        var write = Assert.Single(fleet.Server.Writes);
        var queries = write.GetProperty("queries");
        Assert.Equal("""[{"one":"1","two":"x"},{"one":"2","two":""}]""", queries.GetProperty("rows").GetRawText());
        Assert.Equal("""[{"four":"4"}]""", queries.GetProperty("discovered").GetRawText());

        // Live queries see the running daemon: its served schedule, its config and its flags.
        Assert.Equal("""[{"name":"served_marker","interval":"1","ran":"1"}]""", queries.GetProperty("schedule").GetRawText());
        Assert.Equal("""[{"config_valid":"1","hash_length":"40"}]""", queries.GetProperty("config").GetRawText());
        Assert.Equal("""[{"value":"1"}]""", queries.GetProperty("flags").GetRawText());
        Assert.False(queries.TryGetProperty("undiscovered", out _));
        Assert.Equal(
            ["attach", "config", "discovered", "endless", "flags", "missing", "rows", "schedule", "write"],
            queries.EnumerateObject().Select(q => q.Name).Order(StringComparer.Ordinal));
        var statuses = write.GetProperty("statuses");
        var messages = write.GetProperty("messages");
        Assert.Equal(0, statuses.GetProperty("rows").GetInt32());
        Assert.Equal("", messages.GetProperty("rows").GetString());
        Assert.Equal(1, statuses.GetProperty("missing").GetInt32());
        Assert.Equal("no such table: no_such_table", messages.GetProperty("missing").GetString());
        Assert.Equal(1, statuses.GetProperty("attach").GetInt32());
        Assert.Equal("not authorized", messages.GetProperty("attach").GetString());
        Assert.Equal("not authorized", messages.GetProperty("write").GetString());
        Assert.Equal("interrupted: the query ran longer than its budget of 1 s", messages.GetProperty("endless").GetString());
        var stats = write.GetProperty("stats").GetProperty("endless");
        Assert.InRange(stats.GetProperty("wall_time_ms").GetInt64(), 1000, 10000);
        Assert.True(stats.GetProperty("user_time").GetInt64() > 0);

        // A served config that does not validate is refused with its reasons; the running one stays.
        fleet.Server.Config = """{"schedule": {"broken": {"query": "SELEC 1", "interval": 1}}}""";
        fleet.WaitFor(() => fleet.Daemon.InfoLines("Config reload failed; keeping the running config: served config: ") == 1, 10, "the broken config was not refused");
        var before = fleet.Server.Results().Count;
        fleet.WaitFor(() => fleet.Server.Results().Count > before, 10, "no result after the refused config");
        fleet.Server.Config = ServedConfig;

        // Fleet deletes the host: the next request gets 401 node_invalid, the daemon enrolls again and goes on.
        fleet.Server.ForgetNodes();
        fleet.WaitFor(() => fleet.Server.Enrollments.Count == 2, 15, "no second enrollment");
        var sent = fleet.Server.Results().Count;
        fleet.WaitFor(() => fleet.Server.Results().Count > sent, 10, "no result after the second enrollment");
        Assert.True(fleet.Server.Unauthorized > 0);

        // The node key is kept in the database: a restart does not enroll again. The last good config is kept too:
        // a restart while the server is down starts with it.
        DaemonHarness.Stop(daemon);
        await fleet.Server.StopAsync();
        var offline = fleet.Daemon.Start(fleet.Flags("--config_tls_max_attempts=1"));
        Assert.Equal(1, fleet.Daemon.InfoLines("Starting with the last config the TLS server served (kept in the database)"));
        Assert.Contains(", 1 scheduled queries, ", File.ReadAllLines(fleet.Daemon.InfoLog).Last(l => l.Contains("vigil daemon started", StringComparison.Ordinal)), StringComparison.Ordinal);
        DaemonHarness.Stop(offline);
        await fleet.Server.StartAsync();
        fleet.Daemon.Start(fleet.Flags());
        sent = fleet.Server.Results().Count;
        fleet.WaitFor(() => fleet.Server.Results().Count > sent, 10, "no result after the restart");
        Assert.Equal(2, fleet.Server.Enrollments.Count);

        // Neither the secret nor a node key is written anywhere a user reads.
        var logs = string.Join("\n", Directory.GetFiles(fleet.Daemon.LogPath).Select(File.ReadAllText)) + string.Join("\n", fleet.Daemon.ErrorLines);
        Assert.DoesNotContain(FleetHarness.Secret, logs, StringComparison.Ordinal);
        foreach (var key in fleet.Server.IssuedKeys)
        {
            Assert.DoesNotContain(key, logs, StringComparison.Ordinal);
        }

        Assert.Contains("Enrolled with the TLS server", logs, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostIdentifierInstance_IsTheInstanceIdKeptInTheDatabase_TheSameAfterARestart_NewWithANewDatabase()
    {
        await using var fleet = new FleetHarness(audit: false);
        fleet.Server.Config = ServedConfig;
        await fleet.Server.StartAsync();
        string[] flags = ["--host_identifier=instance", "--enroll_always=true"];
        var daemon = fleet.Start(flags);
        fleet.WaitFor(() => fleet.Server.Results().Count > 0, 10, "no result line");
        fleet.Server.Ask("info", "SELECT instance_id FROM osquery_info");
        fleet.WaitFor(() => !fleet.Server.Writes.IsEmpty, 15, "no distributed write");
        DaemonHarness.Stop(daemon);

        var instance = Vigil.Daemon.DaemonStateStore.ReadInstanceId(fleet.Daemon.DatabasePath)!;
        Assert.Equal(Guid.Parse(instance).ToString("D"), instance);
        var enrollment = Assert.Single(fleet.Server.Enrollments);
        Assert.Equal(instance, enrollment.GetProperty("host_identifier").GetString());
        Assert.Equal(instance, enrollment.GetProperty("host_details").GetProperty("osquery_info").GetProperty("instance_id").GetString());
        Assert.Equal($$"""[{"instance_id":"{{instance}}"}]""", Assert.Single(fleet.Server.Writes).GetProperty("queries").GetProperty("info").GetRawText());
        Assert.All(fleet.Server.Results(), line => Assert.Equal(instance, line.GetProperty("hostIdentifier").GetString()));

        // A restart on the same database keeps it; vigil shell on that database reports it too.
        DaemonHarness.Stop(fleet.Start(flags));
        Assert.Equal(2, fleet.Server.Enrollments.Count);
        Assert.Equal(instance, fleet.Server.Enrollments.Last().GetProperty("host_identifier").GetString());
        Assert.Equal(instance, Vigil.Daemon.DaemonStateStore.ReadInstanceId(fleet.Daemon.DatabasePath));
        Assert.Equal((0, $"instance_id\n{instance}\n", ""),
            VigilProcess.Run("", "shell", $"--database_path={fleet.Daemon.DatabasePath}", "--csv", "SELECT instance_id FROM osquery_info"));

        // A new database is a new instance.
        var other = Path.Combine(fleet.Daemon.Directory, "other", "vigil.db");
        DaemonHarness.Stop(fleet.Start([.. flags, $"--database_path={other}"]));
        var otherInstance = Vigil.Daemon.DaemonStateStore.ReadInstanceId(other)!;
        Assert.NotEqual(instance, otherInstance);
        Assert.Equal(Guid.Parse(otherInstance).ToString("D"), otherInstance);
        Assert.Equal(3, fleet.Server.Enrollments.Count);
        Assert.Equal(otherInstance, fleet.Server.Enrollments.Last().GetProperty("host_identifier").GetString());
    }

    [Fact]
    public async Task AServerCertificateFromAnotherAuthority_IsRefused_WithAClearError()
    {
        using var other = new TestCertificates("Some Other CA");
        await using var fleet = new FleetHarness(audit: false, new FleetTestServer(other.Server(), FleetHarness.Secret));
        await fleet.Server.StartAsync();
        var daemon = fleet.Start("--tls_enroll_max_attempts=1", "--config_tls_max_attempts=1");
        DaemonHarness.Stop(daemon);

        Assert.Empty(fleet.Server.Enrollments);
        var info = File.ReadAllText(fleet.Daemon.InfoLog);
        Assert.Contains(
            "Fetching the config from the TLS server failed: enrollment failed after 1 attempts: /api/osquery/enroll: The SSL connection could not be established, see inner exception.: The remote certificate was rejected by the provided RemoteCertificateValidationCallback.",
            info,
            StringComparison.Ordinal);
        Assert.Contains("Starting with an empty config until the TLS server serves one", info, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AClientCertificate_IsPresented_WhenTheServerRequiresOne()
    {
        await using var fleet = new FleetHarness(audit: false);
        var (cert, key) = TestCertificates.Write(fleet.Certificates.Client(), fleet.Daemon.Directory, "client");
        await using var server = new FleetTestServer(fleet.Certificates.Server(), FleetHarness.Secret, clientAuthority: fleet.Certificates.Authority);
        await fleet.Server.DisposeAsync();
        await server.StartAsync();
        var flags = fleet.Flags($"--tls_client_cert={cert}", $"--tls_client_key={key}")
            .Select(f => f.StartsWith("--tls_hostname=", StringComparison.Ordinal) ? $"--tls_hostname={server.Hostname}" : f).ToArray();
        var daemon = fleet.Daemon.Start(flags);
        DaemonHarness.Stop(daemon);
        Assert.Single(server.Enrollments);
    }
}
