using System.Diagnostics;
using System.Runtime.CompilerServices;
using Vigil.Daemon;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Vigil.Tests.Schedule;
using Xunit;

namespace Vigil.Tests.Daemon;

/// <summary>
/// The daemon's watch over the audit pid, in this process. Kernel 6.18 refuses AUDIT_SET pid of another process
/// while the owner lives (EEXIST), so the takeover a live daemon can meet is a reset to pid 0 by another socket of
/// its own process (or the kernel dropping a receiver it cannot reach); the test makes one with a second socket.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class AuditWatchKernelTests : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("vigil-watch-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    [KernelFact]
    public void PidReset_WithPersist_TakenBackWithin5Seconds_AndRecordsFlowAgain()
    {
        var before = DaemonHarness.CaptureState();
        var self = (uint)Environment.ProcessId;
        try
        {
            var status = new RecordingStatusLog();
            using var collector = Collect();
            var watch = new AuditWatch(collector, persist: true, status);
            using var other = AuditClient.OpenUnicast();
            other.SetPid(0);
            Assert.Equal(0u, other.GetStatus().Pid);

            var deadline = DateTime.UtcNow.AddSeconds(5);
            while (other.GetStatus().Pid != self)
            {
                Assert.True(DateTime.UtcNow < deadline, "the audit pid was not taken back within 5 seconds");
                watch.Check();
                Thread.Sleep(1000);
            }

            watch.Check();
            Assert.Equal(1, watch.Takeovers);
            Assert.Equal(1, collector.PidRetakes);
            Assert.Null(collector.RetakeError);
            Assert.Equal(
                ["WARNING The audit netlink socket was taken by no process (pid 0); taking it back (--audit_persist)", "INFO Took the audit netlink socket back; collecting again"],
                status.Lines);

            var records = collector.Source.Records;
            using (var process = Process.Start("/bin/true", "vigil-watch")!)
            {
                process.WaitForExit();
            }

            deadline = DateTime.UtcNow.AddSeconds(3);
            while (collector.Source.Records == records)
            {
                Assert.True(DateTime.UtcNow < deadline, "no record arrived after the pid was taken back");
                Thread.Sleep(100);
            }
        }
        finally
        {
            DaemonHarness.RestoreKernel(before);
        }
    }

    [KernelFact]
    public void PidReset_WithoutPersist_LoggedOnce_AndLeftAlone()
    {
        var before = DaemonHarness.CaptureState();
        try
        {
            var status = new RecordingStatusLog();
            using var collector = Collect();
            var watch = new AuditWatch(collector, persist: false, status);
            using var other = AuditClient.OpenUnicast();
            other.SetPid(0);
            watch.Check();
            Thread.Sleep(1000);
            watch.Check();

            Assert.Equal(0u, other.GetStatus().Pid);
            Assert.Equal(1, watch.Takeovers);
            Assert.Equal(0, collector.PidRetakes);
            Assert.Equal(["WARNING Lost the audit netlink socket to no process (pid 0); not taking it back (--audit_persist=false), no more events are collected"], status.Lines);
        }
        finally
        {
            DaemonHarness.RestoreKernel(before);
        }
    }

    private KernelCollector Collect() => KernelCollector.Start(
        new IngestOptions
        {
            Kernel = new KernelAuditOptions { AllowConfig = true, SocketType = AuditSocketType.Unicast, ProcessEvents = true },
            Sockets = new SocketEventsOptions(),
            ProcessEvents = true,
        },
        Path.Combine(_dir, "vigil.db"));

}
