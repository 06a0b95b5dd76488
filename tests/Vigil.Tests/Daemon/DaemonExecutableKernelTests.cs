using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using Vigil.Netlink;
using Vigil.Tests.Cli;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil daemon</c> as a user runs it: the built executable against the kernel, its results log and the kernel state after it stops.</summary>
[Collection("Kernel")]
public sealed class DaemonExecutableKernelTests : IDisposable
{
    private const string Config = """
        {"schedule": {
          "procs": {"query": "SELECT * FROM process_events", "interval": 2},
          "socks": {"query": "SELECT * FROM socket_events", "interval": 2}
        }}
        """;

    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-daemon-").FullName;
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private bool _touchedKernel;

    public DaemonExecutableKernelTests() => _listener.Start();

    private string ResultsLog => Path.Combine(_dir, "log", "vigil.results.log");

    public void Dispose()
    {
        _listener.Stop();
        if (_touchedKernel)
        {
            CleanKernel();
        }

        Directory.Delete(_dir, recursive: true);
    }

    [KernelFact]
    public void MarkersLoggedOnce_AcrossRestart_AndKernelStateRestored()
    {
        File.WriteAllText(Path.Combine(_dir, "vigil.conf"), Config);
        _touchedKernel = true;
        var before = CaptureState();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;

        var first = StartDaemon();
        var firstMarkers = Markers(2);
        Connect(port);
        WaitForLines(l => Column(l, "procs", "cmdline") is { } c && firstMarkers.Contains(c), 2);
        WaitForLines(l => Column(l, "socks", "remote_port") == port.ToString(), 1);
        Stop(first);
        Assert.True(before.Matches(CaptureState().Status, CaptureState().Rules), "kernel audit state differs after the first stop");

        var second = StartDaemon();
        var secondMarkers = Markers(1);
        WaitForLines(l => Column(l, "procs", "cmdline") is { } c && secondMarkers.Contains(c), 1);
        Thread.Sleep(TimeSpan.FromSeconds(5));
        Stop(second);

        var lines = ReadLines();
        foreach (var marker in firstMarkers.Concat(secondMarkers))
        {
            var rows = lines.Where(l => Column(l, "procs", "cmdline") == marker).ToList();
            var row = Assert.Single(rows);
            Assert.Equal("added", row.GetProperty("action").GetString());
            // /bin is a link to /usr/bin on this host; the kernel reports the resolved path.
            Assert.Equal("/usr/bin/true", row.GetProperty("columns").GetProperty("path").GetString());
        }

        var connect = Assert.Single(lines, l => Column(l, "socks", "remote_port") == port.ToString());
        Assert.Equal("connect", connect.GetProperty("columns").GetProperty("action").GetString());
        Assert.Equal("127.0.0.1", connect.GetProperty("columns").GetProperty("remote_address").GetString());
        var state = CaptureState();
        Assert.True(before.Matches(state.Status, state.Rules), "kernel audit state differs after the second stop");
        Assert.False(File.Exists(Path.Combine(_dir, "db", "vigil.db.audit-state")));
    }

    // The stop lands while the daemon is still installing its rules: it is held until the daemon runs, which then
    // stops cleanly and puts the kernel back.
    [KernelTheory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Signal_DuringStart_StopsCleanly_AndRestoresTheKernel(string signal)
    {
        File.WriteAllText(Path.Combine(_dir, "vigil.conf"), Config);
        _touchedKernel = true;
        using var client = AuditClient.OpenUnicast();
        var before = AuditState.Capture(client);
        using var daemon = Process.Start(VigilProcess.StartInfo([
            "daemon", $"--config_path={Path.Combine(_dir, "vigil.conf")}", $"--database_path={Path.Combine(_dir, "db", "vigil.db")}",
            $"--logger_path={Path.Combine(_dir, "log")}", "--disable_audit=false", "--audit_allow_config=true",
        ]))!;
        daemon.StandardInput.Close();
        var clock = Stopwatch.StartNew();
        while (client.GetStatus().Pid != (uint)daemon.Id)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30) && !daemon.HasExited, "the daemon did not take the audit socket");
        }

        Process.Start("kill", [$"-{signal}", daemon.Id.ToString()])!.WaitForExit();
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), $"the daemon did not stop on SIG{signal}");
        Assert.Equal(0, daemon.ExitCode);
        var after = AuditState.Capture(client);
        Assert.True(before.Matches(after.Status, after.Rules), $"the audit state after SIG{signal} differs from the one before start");
    }

    [Fact]
    public void ConfigCheck_Good_ExitsZero_Bad_PrintsEveryError()
    {
        var good = Path.Combine(_dir, "good.conf");
        File.WriteAllText(good, Config);
        Assert.Equal((0, $"{good}: ok (2 scheduled queries, 0 packs)\n", ""), VigilProcess.Run("", "daemon", "--config_check", $"--config_path={good}"));

        var bad = Path.Combine(_dir, "bad.conf");
        File.WriteAllText(bad, """{"schedule": {"x": {"query": "SELEC 1", "interval": -1}}, "bogus": 1}""");
        Assert.Equal(
            (1, "", $"vigil: {bad}: schedule.x.query: query does not compile: near \"SELEC\": syntax error\n"
                + $"vigil: {bad}: schedule.x.interval: interval must be between 1 and 604800 seconds, got -1\n"
                + $"vigil: {bad}: bogus: unknown top-level key (expected one of options, schedule, packs, decorators, file_paths, file_accesses, events, audit)\n"),
            VigilProcess.Run("", "daemon", "--config_check", $"--config_path={bad}"));
    }

    private static AuditState CaptureState()
    {
        using var client = AuditClient.OpenUnicast();
        return AuditState.Capture(client);
    }

    private static void CleanKernel()
    {
        using var client = AuditClient.OpenUnicast();
        AuditState.DeleteVigilRules(client);
        var status = client.GetStatus();
        if (status.Pid != 0 && !Directory.Exists($"/proc/{status.Pid}"))
        {
            client.SetPid(0);
        }
    }

    private static string? Column(JsonElement line, string name, string column) =>
        line.GetProperty("name").GetString() == name && line.GetProperty("columns").TryGetProperty(column, out var value) ? value.GetString() : null;

    private static HashSet<string> Markers(int count)
    {
        var markers = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < count; i++)
        {
            var marker = $"vigil-marker-{Guid.NewGuid():N}";
            using var process = Process.Start("/bin/true", marker)!;
            process.WaitForExit();
            markers.Add("/bin/true " + marker);
        }

        return markers;
    }

    private static void Connect(int port)
    {
        using var client = new TcpClient(AddressFamily.InterNetwork);
        client.Connect(IPAddress.Loopback, port);
    }

    private static void Stop(Process daemon)
    {
        Process.Start("kill", ["-TERM", daemon.Id.ToString()])!.WaitForExit();
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), "the daemon did not stop on SIGTERM");
        Assert.Equal(0, daemon.ExitCode);
        daemon.Dispose();
    }

    private Process StartDaemon()
    {
        var info = VigilProcess.StartInfo([
            "daemon", $"--config_path={Path.Combine(_dir, "vigil.conf")}", $"--database_path={Path.Combine(_dir, "db", "vigil.db")}",
            $"--logger_path={Path.Combine(_dir, "log")}", "--disable_audit=false", "--audit_allow_config=true", "--audit_allow_sockets=true",
        ]);
        var daemon = Process.Start(info)!;
        daemon.StandardInput.Close();
        var started = Path.Combine(_dir, "log", "vigil.INFO");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (!(File.Exists(started) && File.ReadAllText(started).Split('\n').Count(l => l.Contains("vigil daemon started")) > StartsSeen))
        {
            if (daemon.HasExited)
            {
                Assert.Fail($"the daemon exited: {daemon.StandardError.ReadToEnd()}");
            }

            Assert.True(DateTime.UtcNow < deadline, "the daemon did not start");
            Thread.Sleep(100);
        }

        StartsSeen++;
        return daemon;
    }

    private int StartsSeen { get; set; }

    private List<JsonElement> ReadLines()
    {
        var lines = new List<JsonElement>();
        if (File.Exists(ResultsLog))
        {
            foreach (var line in File.ReadAllLines(ResultsLog))
            {
                lines.Add(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        return lines;
    }

    // Two intervals of 2 seconds (splayed by at most 10%) and a second of slack for the commit.
    private void WaitForLines(Func<JsonElement, bool> match, int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(6);
        while (ReadLines().Count(match) < count)
        {
            Assert.True(DateTime.UtcNow < deadline, $"expected {count} matching lines in {ResultsLog}");
            Thread.Sleep(200);
        }
    }
}
