namespace Vigil.Tables;

/// <summary>Vigil's collection counters at one moment, as <c>audit_status</c> shows them.</summary>
/// <param name="RecordsReceived">Records read off the netlink socket.</param>
/// <param name="EventsBuilt">Events reassembled from them.</param>
/// <param name="MalformedRecords">Records the parser rejected.</param>
/// <param name="SequenceGaps">Serials skipped by the kernel's sequence (records lost before Vigil).</param>
/// <param name="EventsEvicted">Events emitted without their EOE because the window was full or they aged.</param>
/// <param name="EventsDropped">Events discarded (too many records, or late).</param>
/// <param name="SocketOverflows">Times the reading socket's queue overflowed (ENOBUFS) and the kernel could not deliver records to it.</param>
/// <param name="SocketDrops">Records the kernel could not queue on the reading socket because it was full.</param>
/// <param name="SocketBufferBytes">The reading socket's receive buffer now (SO_RCVBUF as the kernel reports it).</param>
/// <param name="SocketTakeovers">Times another process took the audit pid from Vigil.</param>
/// <param name="StoreQueueDepth">Rows waiting to be written to the store.</param>
/// <param name="RowsStored">Rows committed to the store.</param>
/// <param name="ElapsedSeconds">Seconds since collection started.</param>
public readonly record struct AuditCounterValues(
    long RecordsReceived,
    long EventsBuilt,
    long MalformedRecords,
    long SequenceGaps,
    long EventsEvicted,
    long EventsDropped,
    long SocketOverflows,
    long SocketDrops,
    long SocketBufferBytes,
    long SocketTakeovers,
    long StoreQueueDepth,
    long RowsStored,
    double ElapsedSeconds)
{
    /// <summary>Events built per second over the collector's whole life, rounded down; 0 before a full second.</summary>
    public long EventsPerSecond => ElapsedSeconds >= 1 ? (long)(EventsBuilt / ElapsedSeconds) : 0;
}
