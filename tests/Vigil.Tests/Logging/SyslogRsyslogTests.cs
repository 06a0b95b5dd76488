using System.Diagnostics;
using Vigil.Tests.Daemon;
using Xunit;

namespace Vigil.Tests.Logging;

/// <summary>
/// The syslog logger of the built <c>vigil daemon</c> into a real rsyslog (Debian's, installed by
/// tools/install-reference-tools.sh), started by the test on a private socket with its maximum message size raised
/// to 64k: the result lines arrive exactly, at LOCAL3.INFO, a line of 40,000 bytes included; a line longer than
/// <c>--logger_syslog_max_linesize</c> is reported instead of cut; status lines arrive at NOTICE in osquery's format.
/// </summary>
public sealed class SyslogRsyslogTests : IDisposable
{
    private const string Config = """
        {"schedule": {
          "long": {"query": "SELECT hex(zeroblob(20000)) AS big", "interval": 1},
          "huge": {"query": "SELECT hex(zeroblob(50000)) AS big", "interval": 1}
        }}
        """;

    private readonly DaemonHarness _harness = new(Config) { Audit = false };
    private Process? _rsyslog;

    private string Received => Path.Combine(_harness.Directory, "received.log");

    public void Dispose()
    {
        if (_rsyslog is { HasExited: false })
        {
            _rsyslog.Kill();
            _rsyslog.WaitForExit();
        }

        _rsyslog?.Dispose();
        _harness.Dispose();
    }

    [Fact]
    public void ResultAndStatusLines_ArriveExactly_ALineOverTheMaximum_IsReportedNotCut()
    {
        var socket = StartRsyslog();
        var daemon = _harness.Start("--logger_plugin=filesystem,syslog", $"--logger_syslog_path={socket}", "--logger_syslog_max_linesize=65536");
        _harness.WaitForResults(l => l.GetProperty("name").GetString() == "long", 1, TimeSpan.FromSeconds(10));
        _harness.WaitForInfo("syslog logger: a result message of", 1, TimeSpan.FromSeconds(5));
        DaemonHarness.Stop(daemon);
        _rsyslog!.Kill();
        _rsyslog.WaitForExit();

        var results = File.ReadAllLines(_harness.ResultsLog);
        var long_ = Assert.Single(results, l => l.Contains("\"name\":\"long\"", StringComparison.Ordinal));
        var huge = Assert.Single(results, l => l.Contains("\"name\":\"huge\"", StringComparison.Ordinal));
        Assert.InRange(long_.Length, 40_000, 41_000);
        var received = File.ReadAllLines(Received);
        Assert.Contains($"19|6|vigil|{long_}", received);
        Assert.DoesNotContain(received, l => l.Contains("\"name\":\"huge\"", StringComparison.Ordinal));
        var header = "<158>Mmm dd hh:mm:ss ".Length + $"vigil[{daemon.Id}]: ".Length;
        Assert.Equal(1, _harness.InfoLines($"syslog logger: a result message of {huge.Length + header} bytes is longer than --logger_syslog_max_linesize=65536; not sent (1 messages not sent so far)"));
        Assert.Contains(received, l => l.StartsWith("19|5|vigil|severity=0 location=VigilDaemon.cs:", StringComparison.Ordinal) && l.Contains(" message=vigil daemon started: database ", StringComparison.Ordinal));
    }

    private string StartRsyslog()
    {
        var socket = Path.Combine(_harness.Directory, "log.sock");
        var config = Path.Combine(_harness.Directory, "rsyslog.conf");
        File.WriteAllText(config, $$"""
            global(maxMessageSize="64k" workDirectory="{{_harness.Directory}}")
            module(load="imuxsock" SysSock.Use="off")
            input(type="imuxsock" Socket="{{socket}}" RateLimit.Interval="0")
            template(name="exact" type="string" string="%syslogfacility%|%syslogseverity%|%programname%|%msg:2:$%\n")
            *.* action(type="omfile" file="{{Received}}" template="exact")
            """);
        _rsyslog = Process.Start(new ProcessStartInfo("/usr/sbin/rsyslogd", ["-n", "-f", config, "-i", Path.Combine(_harness.Directory, "rsyslog.pid")])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!File.Exists(socket))
        {
            if (_rsyslog.HasExited)
            {
                Assert.Fail($"rsyslogd exited: {_rsyslog.StandardError.ReadToEnd()}");
            }

            Assert.True(DateTime.UtcNow < deadline, "rsyslogd did not create its socket");
            Thread.Sleep(50);
        }

        return socket;
    }
}
