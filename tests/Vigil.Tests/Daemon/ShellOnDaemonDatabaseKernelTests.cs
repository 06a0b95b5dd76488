using System.Diagnostics;
using Vigil.Tests.Cli;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary><c>vigil shell --database_path</c> reads what a running daemon has stored, without writing to it.</summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class ShellOnDaemonDatabaseKernelTests
{
    [KernelFact]
    public void Shell_ReadsTheRunningDaemonsEvents_ReadOnly()
    {
        var before = DaemonHarness.CaptureState();
        using var harness = new DaemonHarness("""{"schedule": {"procs": {"query": "SELECT pid FROM process_events", "interval": 60}}}""");
        try
        {
            var daemon = harness.Start();
            harness.WaitForInfo("vigil daemon started", 1, TimeSpan.FromSeconds(30));
            var marker = $"vigil-marker-{Guid.NewGuid():N}";
            int child;
            using (var process = Process.Start("/bin/true", [marker]))
            {
                process.WaitForExit();
                child = process.Id;
            }

            var sql = $"SELECT pid, path, cmdline FROM process_events WHERE cmdline = '/bin/true {marker}'";
            var expected = (0, $"pid|path|cmdline\n{child}|/usr/bin/true|\"/bin/true {marker}\"\n", "");
            var deadline = Stopwatch.StartNew();
            var seen = VigilProcess.Run("", "shell", $"--database_path={harness.DatabasePath}", "--csv", sql);
            while (seen != expected && deadline.Elapsed < TimeSpan.FromSeconds(15))
            {
                Thread.Sleep(300);
                seen = VigilProcess.Run("", "shell", $"--database_path={harness.DatabasePath}", "--csv", sql);
            }

            Assert.Equal(expected, seen);
            Assert.Equal(
                (1, "", "Error: table process_events may not be modified\n"),
                VigilProcess.Run("", "shell", $"--database_path={harness.DatabasePath}", "DELETE FROM process_events"));
            DaemonHarness.Stop(daemon);
        }
        finally
        {
            DaemonHarness.RestoreKernel(before);
        }
    }
}
