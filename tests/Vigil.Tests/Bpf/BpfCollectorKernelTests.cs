using System.Net;
using System.Net.Sockets;
using System.Text;
using Vigil.Bpf;
using Vigil.Pipeline;
using Vigil.Rules;
using Vigil.Kernel;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Bpf;

/// <summary>The BPF backend in process: exclusions applied in the kernel, the ring buffer read without allocating.</summary>
[Collection("Kernel")]
public sealed class BpfCollectorKernelTests : IDisposable
{
    private readonly string _database = Path.Combine(Path.GetTempPath(), $"vigil-bpf-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var suffix in (string[])["", "-wal", "-shm"])
        {
            File.Delete(_database + suffix);
        }
    }

    [BpfFact]
    public void AnExcludedExecutable_IsCountedInTheKernel_AndGivesNoRow()
    {
        var mark = $"vigil-excluded-{Guid.NewGuid():N}";
        // A copy of true of this test's own, so that no other process on the host runs the excluded executable.
        var excluded = Path.Combine(Path.GetTempPath(), mark);
        File.Copy("/usr/bin/true", excluded);
        var options = new BpfCollectorOptions
        {
            BpfTables = true,
            Exclusions = [AuditExclusionParser.ForExe(excluded), new AuditExclusion("uid", null, 65534, null, ["execve"])],
        };
        using (var collector = BpfCollector.Start(options, _database))
        {
            KernelRecords.Run("/bin/sh", "-c", $"{excluded} {mark}; setpriv --reuid=65534 --regid=65534 --clear-groups /bin/echo {mark}; /bin/echo {mark}-kept");
            Wait.Until(() => Rows($"SELECT 1 FROM bpf_process_events WHERE cmdline = '/bin/echo {mark}-kept'").Count == 1, "the kept exec", TimeSpan.FromSeconds(15));
            // The exec of the copy and its exit, and the exec of echo as nobody (its exit is not an excluded kind).
            Assert.Equal(3, collector.ReadCounters().Kernel.Excluded);
        }

        File.Delete(excluded);
        Assert.Empty(Rows($"SELECT 1 FROM bpf_process_events WHERE path = '{excluded}'"));
        Assert.Empty(Rows($"SELECT 1 FROM bpf_process_events WHERE cmdline = '/bin/echo {mark}'"));
        Assert.Single(Rows($"SELECT 1 FROM bpf_process_events WHERE uid = 65534 AND syscall = 'exit' AND path = '/usr/bin/echo'"));
    }

    [BpfFact]
    public void ReplacedExclusions_TakeEffectWithoutReloading()
    {
        var mark = $"vigil-reload-{Guid.NewGuid():N}";
        var excluded = Path.Combine(Path.GetTempPath(), mark);
        File.Copy("/usr/bin/true", excluded);
        try
        {
            using var collector = BpfCollector.Start(new BpfCollectorOptions { BpfTables = true }, _database);
            Assert.Equal(1, collector.ReplaceExclusions([AuditExclusionParser.ForExe(excluded)]));
            KernelRecords.Run(excluded, "first");
            KernelRecords.Run("/bin/echo", mark, "excluded");
            Assert.Equal(0, collector.ReplaceExclusions([]));
            KernelRecords.Run(excluded, "second");
            KernelRecords.Run("/bin/echo", mark, "kept");
            Wait.Until(() => Rows($"SELECT 1 FROM bpf_process_events WHERE cmdline = '/bin/echo {mark} kept'").Count == 1, "the last exec", TimeSpan.FromSeconds(15));
            Assert.Equal(2, collector.ReadCounters().Kernel.Excluded);
        }
        finally
        {
            File.Delete(excluded);
        }

        Assert.Equal<IEnumerable<string?>>([$"{excluded} second"], Rows($"SELECT cmdline FROM bpf_process_events WHERE path = '{excluded}' AND syscall = 'exec'").Select(r => r[0]));
    }

    [BpfFact]
    public void TheRingBuffer_IsReadWithoutAllocatingPerRecord()
    {
        var options = new BpfCollectorOptions { BpfTables = true }.LoadOptions();
        using var programs = BpfPrograms.Load(options);
        var sink = new AllocationSink();
        using var reader = new BpfRingReader(programs.EventsFd, sink, TimeSpan.FromMilliseconds(5));
        using var stop = new CancellationTokenSource();
        sink.Stop = stop;
        var workload = Task.Run(() => KernelRecords.Run("/bin/sh", "-c", "for i in $(seq 400); do /bin/true; done"));
        reader.Run(stop.Token);
        workload.Wait();
        Assert.True(sink.Records >= AllocationSink.Last, $"{sink.Records} records");
        Assert.Equal(0, sink.Allocated);
    }

    // The pattern masks the secret in every table that holds a command line: bpf_process_events' cmdline and
    // json_cmdline, and the parent_cmdline of process_events and socket_events from BPF. A second argument the pattern
    // does not cover is found in the file, so the check of the bytes can see a leak.
    [BpfFact]
    public void ARedactedSecret_NeverReachesTheStore_FromTheBpfTables()
    {
        var secret = $"s3cr3t-{Guid.NewGuid():N}";
        var visible = $"visible-{Guid.NewGuid():N}";
        var options = new BpfCollectorOptions
        {
            BpfTables = true,
            ProcessEvents = true,
            SocketEvents = true,
            Redaction = RedactionPatterns.Create([@"--password=(\S+)"]),
        };
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        // dash runs a -c script's last command in its own process; "; true" keeps the shell as bash's parent.
        var script = $"/bin/bash -c 'exec 3<>/dev/tcp/127.0.0.1/{port}'; true";
        var masked = $"/bin/sh -c {script} --password=*** --token={visible}";
        // osquery's bpf_process_events quotes an argument with a space in it.
        var maskedQuoted = $"/bin/sh -c '{script}' --password=*** --token={visible}";
        try
        {
            using var collector = BpfCollector.Start(options, _database);
            KernelRecords.Run("/bin/sh", "-c", script, "--password=" + secret, "--token=" + visible);
            Wait.Until(() => Rows($"SELECT 1 FROM socket_events WHERE remote_port = {port}").Count == 1, "the child's connect", TimeSpan.FromSeconds(15));
        }
        finally
        {
            listener.Stop();
        }

        Assert.Equal<IEnumerable<string?>>([maskedQuoted], Rows($"SELECT cmdline FROM bpf_process_events WHERE cmdline LIKE '/bin/sh -c %{visible}'").Select(r => r[0]));
        Assert.Equal<IEnumerable<string?>>([masked], Rows($"SELECT parent_cmdline FROM process_events WHERE cmdline LIKE '/bin/bash -c %{port}'").Select(r => r[0]));
        Assert.Equal<IEnumerable<string?>>([masked], Rows($"SELECT parent_cmdline FROM socket_events WHERE remote_port = {port}").Select(r => r[0]));
        var bytes = string.Concat(((string[])["", "-wal"]).Where(suffix => File.Exists(_database + suffix)).Select(suffix => Encoding.Latin1.GetString(File.ReadAllBytes(_database + suffix))));
        Assert.DoesNotContain(secret, bytes, StringComparison.Ordinal);
        Assert.Contains(visible, bytes, StringComparison.Ordinal);
    }

    private List<string?[]> Rows(string sql)
    {
        using var engine = new SqlEngine(_database, IngestOptions.EventTableSpecs, []);
        return [.. engine.Execute(sql)[0].Rows];
    }

    /// <summary>Counts the bytes the reading thread allocates between the 100th and the 700th record.</summary>
    private sealed class AllocationSink : IBpfRecordSink
    {
        public const int First = 100;
        public const int Last = 700;

        private long _start;

        public CancellationTokenSource? Stop { get; set; }

        public int Records { get; private set; }

        public long Allocated { get; private set; } = -1;

        public void OnRecord(in BpfRecord record)
        {
            Records++;
            if (Records == First)
            {
                _start = GC.GetAllocatedBytesForCurrentThread();
            }
            else if (Records == Last)
            {
                Allocated = GC.GetAllocatedBytesForCurrentThread() - _start;
                Stop!.Cancel();
            }
        }
    }
}
