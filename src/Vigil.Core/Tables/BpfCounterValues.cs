using Vigil.Bpf;
namespace Vigil.Tables;

/// <summary>The BPF collection's counters at one moment, as <c>bpf_status</c> shows them.</summary>
/// <param name="RecordsReceived">Records read off the ring buffer.</param>
/// <param name="MalformedRecords">Records shorter than their layout, skipped.</param>
/// <param name="RowsBuilt">Rows built from them, over every table BPF feeds.</param>
/// <param name="Kernel">The programs' own counters.</param>
/// <param name="StoreQueueDepth">Rows waiting to be written to the store.</param>
/// <param name="RowsStored">Rows committed to the store.</param>
/// <param name="RowsDropped">Rows the store refused or the watchdog shed.</param>
/// <param name="Links">Programs attached.</param>
/// <param name="ElapsedSeconds">Seconds since collection started.</param>
public readonly record struct BpfCounterValues(
    long RecordsReceived,
    long MalformedRecords,
    long RowsBuilt,
    BpfKernelCounters Kernel,
    long StoreQueueDepth,
    long RowsStored,
    long RowsDropped,
    int Links,
    double ElapsedSeconds);
