using Vigil.Bpf;

namespace Vigil.Tables;

/// <summary>
/// <c>bpf_status</c>: one row with the BPF backend's counters, from this process and from the programs in the kernel
/// (records lost for want of room in the ring buffer among them); all 0 when BPF does not collect.
/// </summary>
public sealed class BpfStatusTable : ILiveTable
{
    private volatile IBpfCounterSource? _counters;

    public static TableSpec Schema { get; } = new(
        "bpf_status",
        "The BPF backend's collection counters.",
        isEventTable: false,
        [
            new("links", ColumnType.Integer, "BPF programs attached"),
            new("records_sent", ColumnType.BigInt, "Records the programs wrote into the ring buffer"),
            new("records_lost", ColumnType.BigInt, "Records the programs could not write because the ring buffer was full (see --bpf_perf_event_array_exp)"),
            new("records_excluded", ColumnType.BigInt, "Events an audit.exclude entry kept in the kernel"),
            new("records_truncated", ColumnType.BigInt, "Records with a path, the arguments or an address cut at its bound (probe_error = 1)"),
            new("calls_missed", ColumnType.BigInt, "Socket calls not reported because their entry left the in-flight table (see --bpf_buffer_storage_size)"),
            new("records_received", ColumnType.BigInt, "Records Vigil read off the ring buffer"),
            new("malformed_records", ColumnType.BigInt, "Records Vigil could not read"),
            new("rows_built", ColumnType.BigInt, "Rows built from them"),
            new("store_queue_depth", ColumnType.BigInt, "Rows waiting to be written to the store"),
            new("rows_stored", ColumnType.BigInt, "Rows committed to the store"),
            new("rows_dropped", ColumnType.BigInt, "Rows the store refused or the watchdog shed"),
            new("records_per_second", ColumnType.BigInt, "Records received per second since collection started"),
        ]);

    public TableSpec Spec => Schema;

    /// <summary>Where the counters come from; set once the BPF collector has started, null when BPF does not collect.</summary>
    public IBpfCounterSource? Counters
    {
        get => _counters;
        set => _counters = value;
    }

    public IEnumerable<ColumnValue[]> Generate()
    {
        var counters = _counters?.ReadCounters() ?? default;
        var kernel = counters.Kernel;
        yield return
        [
            ColumnValue.Of(counters.Links),
            ColumnValue.Of(kernel.Sent),
            ColumnValue.Of(kernel.Lost),
            ColumnValue.Of(kernel.Excluded),
            ColumnValue.Of(kernel.Truncated),
            ColumnValue.Of(kernel.Missed),
            ColumnValue.Of(counters.RecordsReceived),
            ColumnValue.Of(counters.MalformedRecords),
            ColumnValue.Of(counters.RowsBuilt),
            ColumnValue.Of(counters.StoreQueueDepth),
            ColumnValue.Of(counters.RowsStored),
            ColumnValue.Of(counters.RowsDropped),
            ColumnValue.Of(counters.ElapsedSeconds >= 1 ? (long)(counters.RecordsReceived / counters.ElapsedSeconds) : 0),
        ];
    }
}
