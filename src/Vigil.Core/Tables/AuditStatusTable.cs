using Vigil.Netlink;

namespace Vigil.Tables;

/// <summary>
/// <c>audit_status</c>: one row with the kernel's audit status, read on a socket of its own when queried, and Vigil's
/// collection counters from <see cref="Counters"/> (all 0 when nothing collects, as with log files).
/// </summary>
public sealed class AuditStatusTable : ILiveTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Enabled = Columns.Add("enabled", ColumnType.Integer, "0 off, 1 on, 2 on and immutable until reboot");
    private static readonly int Failure = Columns.Add("failure", ColumnType.Integer, "What the kernel does when it cannot log: 0 silent, 1 printk, 2 panic");
    private static readonly int Pid = Columns.Add("pid", ColumnType.BigInt, "Process receiving records by unicast, 0 when none");
    private static readonly int RateLimit = Columns.Add("rate_limit", ColumnType.BigInt, "Records per second the kernel allows, 0 for no limit");
    private static readonly int BacklogLimit = Columns.Add("backlog_limit", ColumnType.BigInt, "Records the kernel queues before losing them");
    private static readonly int Lost = Columns.Add("lost", ColumnType.BigInt, "Records the kernel lost");
    private static readonly int Backlog = Columns.Add("backlog", ColumnType.BigInt, "Records queued in the kernel now");
    private static readonly int BacklogWaitTime = Columns.Add("backlog_wait_time", ColumnType.BigInt, "Jiffies a task waits for room in a full backlog");
    private static readonly int BacklogWaitTimeActual = Columns.Add("backlog_wait_time_actual", ColumnType.BigInt, "Total time tasks waited for the backlog");
    private static readonly int RecordsReceived = Columns.Add("records_received", ColumnType.BigInt, "Records Vigil read off the netlink socket");
    private static readonly int EventsBuilt = Columns.Add("events_built", ColumnType.BigInt, "Events Vigil reassembled");
    private static readonly int MalformedRecords = Columns.Add("malformed_records", ColumnType.BigInt, "Records Vigil could not parse");
    private static readonly int SequenceGaps = Columns.Add("sequence_gaps", ColumnType.BigInt, "Serials missing from the kernel's sequence");
    private static readonly int EventsEvicted = Columns.Add("events_evicted", ColumnType.BigInt, "Events emitted before their end-of-event record");
    private static readonly int UnknownArchEvents = Columns.Add("unknown_arch_events", ColumnType.BigInt, "Events of an architecture (arch=) Vigil has no syscall table for, so no table row");
    private static readonly int UnknownSyscallEvents = Columns.Add("unknown_syscall_events", ColumnType.BigInt, "Events of a syscall number missing from their architecture's table, so no table row");
    private static readonly int EventsDropped = Columns.Add("events_dropped", ColumnType.BigInt, "Events Vigil read and never stored: the sum of the dropped_ columns");
    private static readonly int DroppedQueueFull = Columns.Add("dropped_queue_full", ColumnType.BigInt, "Events dropped, oldest first, because the store queue was full while the store could not write or keep up");
    private static readonly int DroppedMemoryLimit = Columns.Add("dropped_memory_limit", ColumnType.BigInt, "Events waiting for the store that the watchdog dropped, its last resort: over --watchdog_memory_limit with no query running");
    private static readonly int DroppedStoreError = Columns.Add("dropped_store_error", ColumnType.BigInt, "Events of batches the store refused for a reason that trying again cannot fix");
    private static readonly int ExpiredForSpace = Columns.Add("expired_for_space", ColumnType.BigInt, "Stored events deleted to make room for new ones (--database_space_left_action=expire_oldest)");
    private static readonly int StoreError = Columns.Add("store_error", ColumnType.Text, "Why events are not being stored (disk full, read-only, I/O error, space left), while they are not; empty otherwise");
    private static readonly int SocketOverflows = Columns.Add("socket_overflows", ColumnType.BigInt, "Times the netlink socket's queue overflowed (ENOBUFS) and records for Vigil were not delivered");
    private static readonly int SocketDrops = Columns.Add("socket_drops", ColumnType.BigInt, "Records the kernel could not queue on Vigil's socket: lost for a multicast reader, retried by the kernel for a unicast one");
    private static readonly int SocketBufferBytes = Columns.Add("socket_buffer_bytes", ColumnType.BigInt, "The netlink socket's receive buffer as the kernel counts it (twice the request), doubled after each overflow up to 256 MiB");
    private static readonly int SocketTakeovers = Columns.Add("socket_takeovers", ColumnType.BigInt, "Times another process took the audit socket from Vigil");
    private static readonly int StoreQueueDepth = Columns.Add("store_queue_depth", ColumnType.BigInt, "Rows waiting to be written to the store");
    private static readonly int RowsStored = Columns.Add("rows_stored", ColumnType.BigInt, "Rows committed to the store");
    private static readonly int EventsPerSecond = Columns.Add("events_per_second", ColumnType.BigInt, "Events built per second since collection started");

    /// <summary>The table's columns: kernel fields first, then Vigil's counters.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("audit_status", "The kernel audit status and Vigil's collection counters.", isEventTable: false);

    private readonly Func<AuditStatus> _readKernel;
    private volatile IAuditCounterSource? _counters;

    /// <summary>A table reading the kernel's status with <paramref name="readKernel"/> (<see cref="AuditClient.ReadStatus"/> on a host).</summary>
    public AuditStatusTable(Func<AuditStatus> readKernel)
    {
        _readKernel = readKernel;
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
        var row = new ColumnValue[Schema.Columns.Count];
        row[Enabled] = ColumnValue.Of(kernel.Enabled);
        row[Failure] = ColumnValue.Of(kernel.Failure);
        row[Pid] = ColumnValue.Of(kernel.Pid);
        row[RateLimit] = ColumnValue.Of(kernel.RateLimit);
        row[BacklogLimit] = ColumnValue.Of(kernel.BacklogLimit);
        row[Lost] = ColumnValue.Of(kernel.Lost);
        row[Backlog] = ColumnValue.Of(kernel.Backlog);
        row[BacklogWaitTime] = ColumnValue.Of(kernel.BacklogWaitTime);
        row[BacklogWaitTimeActual] = ColumnValue.Of(kernel.BacklogWaitTimeActual);
        row[RecordsReceived] = ColumnValue.Of(counters.RecordsReceived);
        row[EventsBuilt] = ColumnValue.Of(counters.EventsBuilt);
        row[MalformedRecords] = ColumnValue.Of(counters.MalformedRecords);
        row[SequenceGaps] = ColumnValue.Of(counters.SequenceGaps);
        row[EventsEvicted] = ColumnValue.Of(counters.EventsEvicted);
        row[UnknownArchEvents] = ColumnValue.Of(counters.UnknownArchEvents);
        row[UnknownSyscallEvents] = ColumnValue.Of(counters.UnknownSyscallEvents);
        row[EventsDropped] = ColumnValue.Of(counters.EventsDropped);
        row[DroppedQueueFull] = ColumnValue.Of(counters.DroppedQueueFull);
        row[DroppedMemoryLimit] = ColumnValue.Of(counters.DroppedMemoryLimit);
        row[DroppedStoreError] = ColumnValue.Of(counters.DroppedStoreError);
        row[ExpiredForSpace] = ColumnValue.Of(counters.ExpiredForSpace);
        row[StoreError] = ColumnValue.Of(counters.StoreError ?? "");
        row[SocketOverflows] = ColumnValue.Of(counters.SocketOverflows);
        row[SocketDrops] = ColumnValue.Of(counters.SocketDrops);
        row[SocketBufferBytes] = ColumnValue.Of(counters.SocketBufferBytes);
        row[SocketTakeovers] = ColumnValue.Of(counters.SocketTakeovers);
        row[StoreQueueDepth] = ColumnValue.Of(counters.StoreQueueDepth);
        row[RowsStored] = ColumnValue.Of(counters.RowsStored);
        row[EventsPerSecond] = ColumnValue.Of(counters.EventsPerSecond);
        yield return row;
    }
}
