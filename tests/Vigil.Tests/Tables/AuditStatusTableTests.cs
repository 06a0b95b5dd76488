using System.Diagnostics;
using Vigil.Kernel;
using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Pipeline;
using Vigil.Sql;
using Vigil.Tables;
using Vigil.Tests.Cli;
using Vigil.Tests.Kernel;
using Xunit;

namespace Vigil.Tests.Tables;

public sealed class AuditStatusTableTests
{
    private static readonly AuditStatus KnownStatus = new()
    {
        Enabled = 1, Failure = 2, Pid = 4242, RateLimit = 100, BacklogLimit = 8192, Lost = 17, Backlog = 3,
        BacklogWaitTime = 60000, BacklogWaitTimeActual = 9,
    };

    private sealed class FakeCounters(AuditCounterValues values) : IAuditCounterSource
    {
        public AuditCounterValues ReadCounters() => values;
    }

    [Fact]
    public void The_row_has_the_kernel_fields_and_the_providers_counters()
    {
        var table = new AuditStatusTable(() => KnownStatus)
        {
            Counters = new FakeCounters(new AuditCounterValues(1000, 300, 2, 5, 7, 3, 44, 16777216, 0, 12, 290, 10.5)
            {
                DroppedQueueFull = 1, DroppedMemoryLimit = 2, DroppedStoreError = 4, ExpiredForSpace = 6, StoreError = "disk full",
                UnknownArchEvents = 8, UnknownSyscallEvents = 9,
            }),
        };
        using var sql = new SqlEngine(null, IngestOptions.EventTableSpecs, [table]);

        var result = sql.Execute("SELECT * FROM audit_status")[0];

        Assert.Equal(
            ["enabled", "failure", "pid", "rate_limit", "backlog_limit", "lost", "backlog", "backlog_wait_time",
             "backlog_wait_time_actual", "records_received", "events_built", "malformed_records", "sequence_gaps",
             "events_evicted", "unknown_arch_events", "unknown_syscall_events", "events_dropped", "dropped_queue_full", "dropped_memory_limit", "dropped_store_error", "expired_for_space",
             "store_error", "socket_overflows", "socket_drops", "socket_buffer_bytes", "socket_takeovers", "store_queue_depth", "rows_stored", "events_per_second"],
            result.Columns);
        Assert.Equal(
            "1,2,4242,100,8192,17,3,60000,9,1000,300,2,5,7,8,9,7,1,2,4,6,disk full,3,44,16777216,0,12,290,28",
            string.Join(',', Assert.Single(result.Rows)));
    }

    [Fact]
    public void Without_a_collector_the_counters_are_zero()
    {
        var row = Assert.Single(new AuditStatusTable(() => KnownStatus).Generate());

        Assert.Equal(29, row.Length);
        Assert.Equal(17, row[5].Integer);
        for (var i = 9; i < row.Length; i++)
        {
            Assert.Equal(i == 21 ? "" : null, row[i].Text);
            Assert.Equal(0, row[i].Integer);
        }
    }

    [Fact]
    public void Events_per_second_is_zero_before_a_full_second()
    {
        Assert.Equal(0, new AuditCounterValues(0, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.5).EventsPerSecond);
        Assert.Equal(25, new AuditCounterValues(0, 50, 0, 0, 0, 0, 0, 0, 0, 0, 0, 2).EventsPerSecond);
    }
}

[Collection("Kernel")]
[Trait("Category", "Kernel")]
public sealed class AuditStatusTableKernelTests(KernelAuditFixture fixture) : IDisposable
{
    public void Dispose() => fixture.Restore();

    [KernelFact]
    public void The_kernel_fields_equal_what_AUDIT_GET_returns()
    {
        using var client = AuditClient.OpenUnicast();
        client.SetStatus(new AuditStatus { Mask = AuditStatusMask.BacklogLimit | AuditStatusMask.RateLimit, BacklogLimit = 4321, RateLimit = 123 });

        var row = Assert.Single(new AuditStatusTable(AuditClient.ReadStatus).Generate());
        var status = client.GetStatus();

        Assert.Equal(
            [status.Enabled, status.Failure, status.Pid, status.RateLimit, status.BacklogLimit, status.Lost, status.Backlog, status.BacklogWaitTime, status.BacklogWaitTimeActual],
            row[..9].Select(v => v.Integer));
        Assert.Equal(4321, row[4].Integer);
        Assert.Equal(123, row[3].Integer);
    }

    [KernelFact]
    public void A_backlog_overflow_raises_lost_while_the_collector_keeps_running()
    {
        var database = Path.Combine(Path.GetTempPath(), $"vigil-lost-{Guid.NewGuid():N}.db");
        using var control = AuditClient.OpenUnicast();
        try
        {
            var options = new IngestOptions
            {
                Kernel = new KernelAuditOptions { AllowConfig = true, SocketType = AuditSocketType.Unicast, ProcessEvents = true, BacklogLimit = 1 },
                Sockets = new SocketEventsOptions(),
                ProcessEvents = true,
            };
            using var collector = KernelCollector.Start(options, database);
            var table = new AuditStatusTable(AuditClient.ReadStatus) { Counters = collector };
            var lostBefore = Assert.Single(table.Generate())[5].Integer;

            KernelRecords.Run("/bin/bash", "-c", "for i in $(seq 300); do /usr/bin/true; done");
            var after = Assert.Single(table.Generate());

            Assert.True(after[5].Integer > lostBefore, $"lost stayed at {lostBefore}");
            control.SetStatus(new AuditStatus { Mask = AuditStatusMask.BacklogLimit, BacklogLimit = 8192 });
            Assert.True(control.ResetLost() >= after[5].Integer, "the reset did not return the counter it cleared");
            Assert.True(control.GetStatus().Lost < after[5].Integer, "lost was not reset");

            var marker = $"vigil-lost-{Guid.NewGuid():N}";
            KernelRecords.Run("/usr/bin/echo", marker);
            Wait.Until(() => HasRow(database, marker), "a row for the exec after the overflow", TimeSpan.FromSeconds(10));
            Assert.Equal(0, collector.Reader.Failures);
            Assert.True(Assert.Single(table.Generate())[9].Integer > 0);
        }
        finally
        {
            control.ResetLost();
            foreach (var suffix in new[] { "", "-wal", "-shm" })
            {
                File.Delete(database + suffix);
            }
        }
    }

    [KernelFact]
    public void The_shell_has_the_table_with_zero_counters_when_reading_a_log_file()
    {
        var log = Path.Combine(AppContext.BaseDirectory, "Fixtures", "top", "top.log");

        var (code, output, errors) = Vigil.Tests.Cli.VigilProcess.Run("", "shell", $"--audit_log_file={log}", "--csv",
            "select count(*) as n, records_received, events_built, rows_stored from audit_status");

        Assert.Equal((0, "n|records_received|events_built|rows_stored\n1|0|0|0\n", ""), (code, output, errors));
    }

    private static bool HasRow(string database, string marker)
    {
        using var sql = new SqlEngine(database, IngestOptions.EventTableSpecs, []);
        return sql.Execute($"SELECT 1 FROM process_events WHERE cmdline LIKE '%{marker}%'")[0].Rows.Count > 0;
    }
}
