using Vigil.Netlink;

namespace Vigil.Tables;

/// <summary>
/// <c>audit_status</c>: one row with the kernel's audit status, read on a socket of its own when queried, and Vigil's
/// collection counters from <see cref="Counters"/> (all 0 when nothing collects, as with log files).
/// </summary>
public sealed class AuditStatusTable : ILiveTable
{
    private readonly Func<AuditStatus> _readKernel;
    private volatile IAuditCounterSource? _counters;

    /// <summary>The table's columns: kernel fields first, then Vigil's counters.</summary>
    public static TableSpec Schema { get; } = new(
        "audit_status",
        "The kernel audit status and Vigil's collection counters.",
        isEventTable: false,
        [
            new("enabled", ColumnType.Integer, "0 off, 1 on, 2 on and immutable until reboot"),
            new("failure", ColumnType.Integer, "What the kernel does when it cannot log: 0 silent, 1 printk, 2 panic"),
            new("pid", ColumnType.BigInt, "Process receiving records by unicast, 0 when none"),
            new("rate_limit", ColumnType.BigInt, "Records per second the kernel allows, 0 for no limit"),
            new("backlog_limit", ColumnType.BigInt, "Records the kernel queues before losing them"),
            new("lost", ColumnType.BigInt, "Records the kernel lost"),
            new("backlog", ColumnType.BigInt, "Records queued in the kernel now"),
            new("backlog_wait_time", ColumnType.BigInt, "Jiffies a task waits for room in a full backlog"),
            new("backlog_wait_time_actual", ColumnType.BigInt, "Total time tasks waited for the backlog"),
            new("records_received", ColumnType.BigInt, "Records Vigil read off the netlink socket"),
            new("events_built", ColumnType.BigInt, "Events Vigil reassembled"),
            new("malformed_records", ColumnType.BigInt, "Records Vigil could not parse"),
            new("sequence_gaps", ColumnType.BigInt, "Serials missing from the kernel's sequence"),
            new("events_evicted", ColumnType.BigInt, "Events emitted before their end-of-event record"),
            new("events_dropped", ColumnType.BigInt, "Events Vigil discarded"),
            new("socket_overflows", ColumnType.BigInt, "Times the netlink socket's queue overflowed (ENOBUFS) and records for Vigil were not delivered"),
            new("socket_drops", ColumnType.BigInt, "Records the kernel could not queue on Vigil's socket: lost for a multicast reader, retried by the kernel for a unicast one"),
            new("socket_buffer_bytes", ColumnType.BigInt, "The netlink socket's receive buffer as the kernel counts it (twice the request), doubled after each overflow up to 256 MiB"),
            new("socket_takeovers", ColumnType.BigInt, "Times another process took the audit socket from Vigil"),
            new("store_queue_depth", ColumnType.BigInt, "Rows waiting to be written to the store"),
            new("rows_stored", ColumnType.BigInt, "Rows committed to the store"),
            new("events_per_second", ColumnType.BigInt, "Events built per second since collection started"),
        ]);

    /// <summary>A table reading the kernel with <paramref name="readKernel"/>, by default AUDIT_GET on a new socket.</summary>
    public AuditStatusTable(Func<AuditStatus>? readKernel = null)
    {
        _readKernel = readKernel ?? ReadKernel;
    }

    /// <inheritdoc/>
    public TableSpec Spec => Schema;

    /// <summary>Where the counters come from; set once the collector has started, null when nothing collects.</summary>
    public IAuditCounterSource? Counters
    {
        get => _counters;
        set => _counters = value;
    }

    /// <inheritdoc/>
    public IEnumerable<ColumnValue[]> Generate()
    {
        var kernel = _readKernel();
        var counters = _counters?.ReadCounters() ?? default;
        yield return
        [
            ColumnValue.Of(kernel.Enabled),
            ColumnValue.Of(kernel.Failure),
            ColumnValue.Of(kernel.Pid),
            ColumnValue.Of(kernel.RateLimit),
            ColumnValue.Of(kernel.BacklogLimit),
            ColumnValue.Of(kernel.Lost),
            ColumnValue.Of(kernel.Backlog),
            ColumnValue.Of(kernel.BacklogWaitTime),
            ColumnValue.Of(kernel.BacklogWaitTimeActual),
            ColumnValue.Of(counters.RecordsReceived),
            ColumnValue.Of(counters.EventsBuilt),
            ColumnValue.Of(counters.MalformedRecords),
            ColumnValue.Of(counters.SequenceGaps),
            ColumnValue.Of(counters.EventsEvicted),
            ColumnValue.Of(counters.EventsDropped),
            ColumnValue.Of(counters.SocketOverflows),
            ColumnValue.Of(counters.SocketDrops),
            ColumnValue.Of(counters.SocketBufferBytes),
            ColumnValue.Of(counters.SocketTakeovers),
            ColumnValue.Of(counters.StoreQueueDepth),
            ColumnValue.Of(counters.RowsStored),
            ColumnValue.Of(counters.EventsPerSecond),
        ];
    }

    private static AuditStatus ReadKernel()
    {
        using var client = AuditClient.OpenUnicast();
        return client.GetStatus();
    }
}
