using System.Globalization;
using System.Text;
using Vigil.Kernel;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Pipeline;

/// <summary>
/// The reading socket overflows for real: the collector's reader is held inside its first record (a debug writer that
/// blocks) on the smallest receive buffer while child processes exec, so the kernel reports ENOBUFS; once released,
/// the overflow is counted, the buffer has grown, and an exec made afterwards is stored with its exact command line.
/// A multicast reader gets no retry from the kernel: on the smallest buffer it would receive only the first record of
/// each later event, so only the growth lets it store whole events again.
/// </summary>
[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class KernelOverflowKernelTests(KernelAuditFixture kernel) : IDisposable
{
    private const int BurstExecs = 200;
    private const int MarkerAttempts = 20;

    // SOCK_MIN_RCVBUF on this kernel (x86-64): what a 1-byte SO_RCVBUF request is raised to.
    private const int SmallestReceiveBuffer = 2304;

    private readonly string _database = Path.Combine(Path.GetTempPath(), $"vigil-overflow-{Guid.NewGuid():N}.db");

    public void Dispose()
    {
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_database + suffix);
        }
    }

    [KernelTheory]
    [InlineData(AuditSocketType.Unicast)]
    [InlineData(AuditSocketType.Multicast)]
    public void ReceiveQueueOverflow_IsCounted_AndAnExecAfterItIsStoredExactly(AuditSocketType socketType)
    {
        using var control = AuditClient.OpenUnicast();
        var lostBefore = control.GetStatus().Lost;
        var gate = new BlockingWriter();
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
                gate.Release.Set();
            }

            // A multicast reader is told of an overflow once per congestion: it may have been counted before the hold.
            Wait.Until(() => collector.Source.Overflows > 0, "the overflow to be counted", TimeSpan.FromSeconds(20));
            var marker = StoreAnExecAfterTheOverflow();

            var row = Assert.Single(Rows($"SELECT path, cmdline FROM process_events WHERE cmdline LIKE '%{marker}%'"));
            Assert.Equal<IEnumerable<string?>>(["/usr/bin/echo", $"/bin/echo {marker} two words "], row);
            Assert.True(collector.Source.ReceiveBufferBytes > SmallestReceiveBuffer, $"the receive buffer stayed at {collector.Source.ReceiveBufferBytes} bytes");
            Assert.Equal(0, collector.Reader.Failures);
            using var sql = new SqlEngine(_database, IngestOptions.EventTableSpecs, [new AuditStatusTable(AuditClient.ReadStatus) { Counters = collector }]);
            var status = Assert.Single(sql.Execute("SELECT socket_overflows, socket_drops, socket_buffer_bytes FROM audit_status")[0].Rows);
            var (overflows, drops, buffer) = (Number(status[0]), Number(status[1]), Number(status[2]));
            Assert.Equal(collector.Source.Overflows, overflows);
            Assert.Equal(collector.Source.ReceiveBufferBytes, buffer);
            if (socketType == AuditSocketType.Multicast)
            {
                Assert.True(drops >= BurstExecs, $"socket_drops {drops} after a burst of {BurstExecs} execs");
            }
        }
        finally
        {
            kernel.Restore();
            if (control.GetStatus().Lost > lostBefore)
            {
                control.ResetLost();
            }
        }
    }

    // Each exec is a new marker: while the buffer is still growing, a multicast reader may get only part of an event,
    // which is stored without the marker in its command line.
    private string StoreAnExecAfterTheOverflow()
    {
        for (var attempt = 0; attempt < MarkerAttempts; attempt++)
        {
            var marker = $"vigil-after-overflow-{Guid.NewGuid():N}";
            KernelRecords.Run("/bin/echo", marker, "two words", "");
            if (Wait.For(() => Rows($"SELECT 1 FROM process_events WHERE cmdline LIKE '%{marker}%'").Count > 0, TimeSpan.FromSeconds(2)))
            {
                return marker;
            }
        }

        Assert.Fail($"none of {MarkerAttempts} execs after the overflow was stored with its command line");
        return null!;
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

    private static long Number(string? value) => long.Parse(value!, CultureInfo.InvariantCulture);

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
