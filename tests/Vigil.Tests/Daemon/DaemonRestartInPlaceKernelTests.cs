using Vigil.Pipeline;
using Vigil.Sql;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// <c>vigil daemon</c>'s restart in place (SIGUSR2, what vigilctl restart and the package upgrade send): the same pid
/// executes itself again and takes over the audit socket and rules, so execs running through it are each stored once.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class DaemonRestartInPlaceKernelTests
{
    [KernelFact]
    public void Sigusr2_SamePidTakesOver_EveryExecAroundItStoredOnce_KernelAsFoundAfterStop()
    {
        var before = DaemonHarness.CaptureState();
        try
        {
            using var harness = new DaemonHarness("""{"schedule": {}, "audit": {"exclude": [{"exe": "/usr/bin/awk"}]}}""");
            var pidfile = Path.Combine(harness.Directory, "vigild.pid");
            var daemon = harness.Start($"--pidfile={pidfile}");
            List<string> done;
            using (var producer = new ExecProducer(TimeSpan.FromMilliseconds(10)))
            {
                Wait.Until(() => producer.Cmdlines.Count >= 30, "execs before the restart", TimeSpan.FromSeconds(20));
                DaemonHarness.Signal(daemon, "USR2");
                harness.WaitForInfo("took over the audit socket and rules of the previous executable", 1, TimeSpan.FromSeconds(60));
                var restarted = producer.Cmdlines.Count;
                Wait.Until(() => producer.Cmdlines.Count >= restarted + 30, "execs after the restart", TimeSpan.FromSeconds(20));
                done = producer.Stop();
                Wait.Until(() => Cmdlines(harness.DatabasePath, producer.Prefix).Count >= done.Count, "every exec stored", TimeSpan.FromSeconds(20));
                Assert.Equal(done.Order(StringComparer.Ordinal), Cmdlines(harness.DatabasePath, producer.Prefix).Order(StringComparer.Ordinal));
            }

            Assert.False(daemon.HasExited, "the restarted daemon is a new image of the same process");
            // Through cat: .NET's own readers take a shared flock, which the daemon's exclusive one refuses.
            Assert.Equal($"{daemon.Id}\n", KernelRecords.Output("cat", pidfile));
            Assert.Equal(1, harness.InfoLines("vigil daemon restarting in place"));
            Assert.Equal(2, harness.InfoLines("vigil daemon started"));
            DaemonHarness.StopAndAssertKernelAsBefore(daemon, before);
            Assert.False(File.Exists(pidfile), "the pidfile outlived the daemon");
        }
        finally
        {
            DaemonHarness.RestoreKernel(before);
        }
    }

    private static List<string> Cmdlines(string database, string prefix)
    {
        using var sql = new SqlEngine(database, IngestOptions.EventTableSpecs, []);
        var cmdlines = new List<string>();
        foreach (var row in sql.Execute($"SELECT cmdline FROM process_events WHERE cmdline LIKE '%{prefix}%'")[0].Rows)
        {
            cmdlines.Add(row[0]!);
        }

        return cmdlines;
    }
}
