using System.Diagnostics;
using System.Net.Sockets;
using System.Net;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Tests.Cli;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil daemon</c> as a user runs it: the built executable against the kernel, its results log and the kernel state after it stops.</summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class DaemonExecutableKernelTests : IDisposable
{
    private const string Config = """
        {"schedule": {
          "procs": {"query": "SELECT * FROM process_events", "interval": 2},
          "socks": {"query": "SELECT * FROM socket_events", "interval": 2}
        }}
        """;

    private static readonly TimeSpan ResultsWait = TimeSpan.FromSeconds(30);

    private readonly DaemonHarness _daemon = new(Config);
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private AuditState? _before;

    public DaemonExecutableKernelTests() => _listener.Start();

    // The harness kills any daemon a failed test left running before the kernel is put back, so one failure
    // cannot leave a daemon owning the audit socket for the kernel tests after it.
    public void Dispose()
    {
        _listener.Stop();
        _daemon.Dispose();
        if (_before is not null)
        {
            DaemonHarness.RestoreKernel(_before);
        }
    }

    [KernelFact]
    public void MarkersLoggedOnce_AcrossRestart_AndKernelStateRestored()
    {
        _before = DaemonHarness.CaptureState();
        var port = ((IPEndPoint)_listener.LocalEndpoint).Port;

        var first = _daemon.Start("--audit_allow_sockets=true");
        var firstMarkers = Markers(2);
        Connect(port);
        _daemon.WaitForResults(l => DaemonHarness.Column(l, "procs", "cmdline") is { } c && firstMarkers.Contains(c), 2, ResultsWait);
        _daemon.WaitForResults(l => DaemonHarness.Column(l, "socks", "remote_port") == port.ToString(), 1, ResultsWait);
        DaemonHarness.StopAndAssertKernelAsBefore(first, _before);

        var second = _daemon.Start("--audit_allow_sockets=true");
        var secondMarkers = Markers(1);
        _daemon.WaitForResults(l => DaemonHarness.Column(l, "procs", "cmdline") is { } c && secondMarkers.Contains(c), 1, ResultsWait);
        // Two more intervals in which a marker logged twice would show.
        Thread.Sleep(TimeSpan.FromSeconds(5));
        DaemonHarness.StopAndAssertKernelAsBefore(second, _before);

        var lines = _daemon.ReadResults();
        foreach (var marker in firstMarkers.Concat(secondMarkers))
        {
            var row = Assert.Single(lines, l => DaemonHarness.Column(l, "procs", "cmdline") == marker);
            Assert.Equal("added", row.GetProperty("action").GetString());
            // /bin is a link to /usr/bin on this host; the kernel reports the resolved path.
            Assert.Equal("/usr/bin/true", row.GetProperty("columns").GetProperty("path").GetString());
        }

        var connect = Assert.Single(lines, l => DaemonHarness.Column(l, "socks", "remote_port") == port.ToString());
        Assert.Equal("connect", connect.GetProperty("columns").GetProperty("action").GetString());
        Assert.Equal("127.0.0.1", connect.GetProperty("columns").GetProperty("remote_address").GetString());
        Assert.False(File.Exists(_daemon.DatabasePath + ".audit-state"));
    }

    // The stop lands while the daemon is still installing its rules: it is held until the daemon runs, which then
    // stops cleanly and puts the kernel back.
    [KernelTheory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public void Signal_DuringStart_StopsCleanly_AndRestoresTheKernel(string signal)
    {
        using var client = AuditClient.OpenUnicast();
        _before = AuditState.Capture(client);
        var daemon = _daemon.Launch();
        var clock = Stopwatch.StartNew();
        while (client.GetStatus().Pid != (uint)daemon.Id)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30) && !daemon.HasExited, "the daemon did not take the audit socket");
        }

        DaemonHarness.Signal(daemon, signal);
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), $"the daemon did not stop on SIG{signal}");
        Assert.Equal(0, daemon.ExitCode);
        var after = AuditState.Capture(client);
        Assert.True(_before.Matches(after.Status, after.Rules), $"the audit state after SIG{signal} differs from the one before start");
    }

    [Fact]
    public void ConfigCheck_Good_ExitsZero_Bad_PrintsEveryError()
    {
        var good = Path.Combine(_daemon.Directory, "good.conf");
        File.WriteAllText(good, Config);
        Assert.Equal((0, $"{good}: ok (2 scheduled queries, 0 packs)\n", ""), VigilProcess.Run("", "daemon", "--config_check", $"--config_path={good}"));

        var bad = Path.Combine(_daemon.Directory, "bad.conf");
        File.WriteAllText(bad, """{"schedule": {"x": {"query": "SELEC 1", "interval": -1}}, "bogus": 1}""");
        Assert.Equal(
            (1, "", $"vigil: {bad}: schedule.x.query: query does not compile: near \"SELEC\": syntax error\n"
                + $"vigil: {bad}: schedule.x.interval: interval must be between 1 and 604800 seconds, got -1\n"
                + $"vigil: {bad}: bogus: unknown top-level key (expected one of options, schedule, packs, decorators, file_paths, exclude_paths, file_accesses, events, audit)\n"),
            VigilProcess.Run("", "daemon", "--config_check", $"--config_path={bad}"));
    }

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
}
