using System.Globalization;
using System.Text;
using Vigil.Ingest;
using Vigil.Netlink;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Ingest;

/// <summary>
/// The reading socket overflows for real: the collector's reader is held inside its first record (a debug writer that
/// blocks) on the smallest receive buffer while child processes exec, so the kernel reports ENOBUFS; once released,
/// the overflow is counted and an exec made afterwards is stored with its exact command line.
/// </summary>
[Collection("Kernel")]
public sealed class KernelOverflowKernelTests(KernelAuditFixture kernel) : IDisposable
{
    private const int BurstExecs = 200;

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"vigil-overflow-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    // Unicast only: a multicast reader held the same way received nothing more in most runs once released (see the
    // note on issue 6), while a plain reader written in Python on the same kernel recovered; not yet explained.
    [KernelTheory]
    [InlineData(AuditSocketType.Unicast)]
    public void ReceiveQueueOverflow_IsCounted_AndAnExecAfterItIsStoredExactly(AuditSocketType socketType)
    {
        using var control = AuditClient.OpenUnicast();
        var lostBefore = control.GetStatus().Lost;
        var gate = new BlockingWriter();
        long overflowsWhileHeld;
        try
        {
            using var collector = KernelCollector.Start(Options(socketType), _database, gate);
            try
            {
                Assert.Equal(socketType == AuditSocketType.Multicast, collector.Session.IsMulticast);
                KernelRecords.Run("/bin/true", "vigil-overflow-first");
                Assert.True(gate.Entered.Wait(TimeSpan.FromSeconds(10)), "the reader never got a record");
                for (var i = 0; i < BurstExecs; i++)
                {
                    KernelRecords.Run("/bin/true", "vigil-overflow-burst", i.ToString(CultureInfo.InvariantCulture));
                }

            }
            finally
            {
                overflowsWhileHeld = collector.Source.Overflows;
                gate.Release.Set();
            }

            Wait.Until(() => collector.Source.Overflows > overflowsWhileHeld, "the overflow to be counted", TimeSpan.FromSeconds(20));
            var marker = $"vigil-after-overflow-{Guid.NewGuid():N}";
            KernelRecords.Run("/bin/echo", marker, "two words", "");
            Wait.Until(() => Rows($"SELECT 1 FROM process_events WHERE cmdline LIKE '%{marker}%'").Count > 0, "the exec after the overflow to be stored", TimeSpan.FromSeconds(20));

            var row = Assert.Single(Rows($"SELECT path, cmdline FROM process_events WHERE cmdline LIKE '%{marker}%'"));
            Assert.Equal<IEnumerable<string?>>(["/usr/bin/echo", $"/bin/echo {marker} two words "], row);
            Assert.Null(collector.Failure);
            using var sql = new SqlEngine(_database, IngestOptions.EventTableSpecs, [new AuditStatusTable { Counters = collector }]);
            var overflows = long.Parse(Assert.Single(sql.Execute("SELECT socket_overflows FROM audit_status")[0].Rows)[0]!, CultureInfo.InvariantCulture);
            Assert.Equal(collector.Source.Overflows, overflows);
        }
        finally
        {
            kernel.Restore();
            if (control.GetStatus().Lost > lostBefore)
            {
                control.SetStatus(new AuditStatus { Mask = AuditStatusMask.Lost });
            }
        }
    }

    // The kernel must never make the children wait for the stalled reader: backlog_wait_time 0.
    private static IngestOptions Options(AuditSocketType socketType) => new()
    {
        Kernel = new KernelAuditOptions
        {
            AllowConfig = true,
            SocketType = socketType,
            ProcessEvents = true,
            BacklogWaitTime = 0,
            ReceiveBufferBytes = 1,
        },
        Sockets = new SocketEventsOptions(),
        ProcessEvents = true,
    };

    private IReadOnlyList<string?[]> Rows(string sql)
    {
        using var engine = new SqlEngine(_database, IngestOptions.EventTableSpecs, []);
        return engine.Execute(sql)[0].Rows;
    }

    /// <summary>A debug writer whose first line blocks the reader thread until <see cref="Release"/> is set.</summary>
    private sealed class BlockingWriter : TextWriter
    {
        public ManualResetEventSlim Entered { get; } = new();

        public ManualResetEventSlim Release { get; } = new();

        public override Encoding Encoding => Encoding.UTF8;

        public override void Write(char value) => Hold();

        public override void WriteLine(string? value) => Hold();

        // Bounded, so a test that fails before releasing cannot hang the reader thread that Dispose joins.
        private void Hold()
        {
            Entered.Set();
            Release.Wait(TimeSpan.FromSeconds(60));
        }
    }
}
