using Vigil.Tests.Cli;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil daemon --disable_audit=true</c> through the executable: pidfile, SIGHUP reload, unusable paths.</summary>
public sealed class DaemonExecutableTests
{
    [Fact]
    public void Pidfile_HoldsThePidWhileRunning_RemovedOnStop()
    {
        using var harness = new DaemonHarness("""{"schedule": {}}""") { Audit = false };
        var pidfile = Path.Combine(harness.Directory, "vigil.pid");
        var daemon = harness.Start($"--pidfile={pidfile}");
        Assert.Equal($"{daemon.Id}\n", PidfileText.Read(pidfile));
        DaemonHarness.Stop(daemon);
        Assert.False(File.Exists(pidfile));
    }

    // The second daemon fails on the pidfile's lock before it opens a database: it neither checks nor creates one.
    [Fact]
    public void ASecondDaemonOnTheSamePidfile_RefusesBeforeItTouchesADatabase()
    {
        using var first = new DaemonHarness("""{"schedule": {}}""") { Audit = false };
        using var second = new DaemonHarness("""{"schedule": {}}""") { Audit = false };
        var pidfile = Path.Combine(first.Directory, "vigil.pid");
        var daemon = first.Start($"--pidfile={pidfile}");

        var refused = second.Launch($"--pidfile={pidfile}");
        Assert.True(refused.WaitForExit(TimeSpan.FromSeconds(30)), "the second daemon did not exit");
        refused.WaitForExit();

        Assert.NotEqual(0, refused.ExitCode);
        Assert.Equal($"vigil: another vigil daemon is running with --pidfile={pidfile} (it holds the file's lock)", second.ErrorLines[^1]);
        Assert.False(File.Exists(second.DatabasePath), "the refused daemon created its database");
        Assert.Equal($"{daemon.Id}\n", PidfileText.Read(pidfile));
        DaemonHarness.Stop(daemon);
    }

    [Fact]
    public void Sighup_GoodConfigAddsAQueryThatLogs_BadConfigKeepsTheRunningOneAndSaysWhy()
    {
        using var harness = new DaemonHarness("""{"schedule": {"one": {"query": "SELECT 1 AS one", "interval": 1}}}""") { Audit = false };
        var daemon = harness.Start();
        harness.WaitForResults(l => DaemonHarness.Column(l, "one", "one") == "1", 1, TimeSpan.FromSeconds(5));

        File.WriteAllText(harness.ConfigPath, """{"schedule": {"one": {"query": "SELECT 1 AS one", "interval": 1}, "two": {"query": "SELECT 2 AS two", "interval": 1}}}""");
        DaemonHarness.Signal(daemon, "HUP");
        harness.WaitForInfo($"Config reloaded from {harness.ConfigPath}: 2 scheduled queries", 1, TimeSpan.FromSeconds(5));
        harness.WaitForResults(l => DaemonHarness.Column(l, "two", "two") == "2", 1, TimeSpan.FromSeconds(5));

        File.WriteAllText(harness.ConfigPath, """{"schedule": {"three": {"query": "SELEC 3", "interval": 1}}}""");
        DaemonHarness.Signal(daemon, "HUP");
        harness.WaitForInfo(
            $"Config reload failed; keeping the running config: {harness.ConfigPath}: schedule.three.query: query does not compile: near \"SELEC\": syntax error",
            1, TimeSpan.FromSeconds(5));
        Assert.False(daemon.HasExited);
        DaemonHarness.Stop(daemon);
        Assert.DoesNotContain(harness.ReadResults(), l => l.GetProperty("name").GetString() == "three");
    }

    [Fact]
    public void StartedUnderNohup_WithSighupIgnored_SighupStillReloads()
    {
        using var harness = new DaemonHarness("""{"schedule": {"one": {"query": "SELECT 1 AS one", "interval": 1}}}""") { Audit = false, Wrapper = ["nohup"] };
        var daemon = harness.Start();

        File.WriteAllText(harness.ConfigPath, """{"schedule": {"two": {"query": "SELECT 2 AS two", "interval": 1}}}""");
        DaemonHarness.Signal(daemon, "HUP");
        harness.WaitForInfo($"Config reloaded from {harness.ConfigPath}: 1 scheduled queries", 1, TimeSpan.FromSeconds(5));
        harness.WaitForResults(l => DaemonHarness.Column(l, "two", "two") == "2", 1, TimeSpan.FromSeconds(5));
        DaemonHarness.Stop(daemon);
    }

    [Fact]
    public void StartedWithSigintIgnored_SigintStillStopsIt()
    {
        using var harness = new DaemonHarness("""{"schedule": {}}""") { Audit = false, Wrapper = ["sh", "-c", "trap '' INT; exec \"$@\"", "sh"] };
        var daemon = harness.Start();

        DaemonHarness.Signal(daemon, "INT");
        Assert.True(daemon.WaitForExit(TimeSpan.FromSeconds(30)), "the daemon did not stop on SIGINT");
        Assert.Equal(0, daemon.ExitCode);
        Assert.Equal(1, harness.InfoLines("vigil daemon stopped"));
    }

    [Fact]
    public void UnusableLoggerPathOrDatabasePath_ErrorNamesThePath_ExitsNonzero()
    {
        using var harness = new DaemonHarness("""{"schedule": {}}""") { Audit = false };
        var database = Path.Combine(harness.Directory, "db", "vigil.db");
        var (code, _, error) = VigilProcess.Run("", "daemon", $"--config_path={harness.ConfigPath}", $"--database_path={database}",
            "--logger_path=/proc/vigil-no-such-dir", "--disable_audit=true");
        Assert.Equal(1, code);
        Assert.Equal("vigil: cannot write logs in --logger_path=/proc/vigil-no-such-dir: Could not find file '/proc/vigil-no-such-dir'.\n", error);

        (code, _, error) = VigilProcess.Run("", "daemon", $"--config_path={harness.ConfigPath}", "--database_path=/proc/vigil-no-such-dir/vigil.db",
            $"--logger_path={harness.LogPath}", "--disable_audit=true");
        Assert.Equal(1, code);
        Assert.EndsWith("vigil: cannot open --database_path=/proc/vigil-no-such-dir/vigil.db: Could not find file '/proc/vigil-no-such-dir'.\n", error);
    }
}
