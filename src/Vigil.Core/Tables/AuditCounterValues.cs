namespace Vigil.Tables;

/// <summary>Vigil's collection counters at one moment, as <c>audit_status</c> shows them.</summary>
/// <param name="RecordsReceived">Records read off the netlink socket.</param>
/// <param name="EventsBuilt">Events reassembled from them.</param>
/// <param name="MalformedRecords">Records the parser rejected.</param>
/// <param name="SequenceGaps">Serials skipped by the kernel's sequence (records lost before Vigil).</param>
/// <param name="EventsEvicted">Events emitted without their EOE because the window was full or they aged.</param>
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
    long SocketOverflows,
    long SocketDrops,
    long SocketBufferBytes,
    long SocketTakeovers,
    long StoreQueueDepth,
    long RowsStored,
    double ElapsedSeconds)
{
    /// <summary>Events dropped, oldest first, because the store queue was full: the store could not write or keep up.</summary>
    public long DroppedQueueFull { get; init; }

    /// <summary>Events waiting for the store that the watchdog dropped as its last resort (over its memory limit with no query running).</summary>
    public long DroppedMemoryLimit { get; init; }

    /// <summary>Events of batches the store refused for a reason trying again cannot fix.</summary>
    public long DroppedStoreError { get; init; }

    /// <summary>Every event read and never stored: the sum of the causes.</summary>
    public long EventsDropped => DroppedQueueFull + DroppedMemoryLimit + DroppedStoreError;

    /// <summary>Events of an architecture Vigil has no syscall table for.</summary>
    public long UnknownArchEvents { get; init; }

    /// <summary>Events of a syscall missing from their architecture's table.</summary>
    public long UnknownSyscallEvents { get; init; }

    /// <summary>Stored events deleted to make room for new ones (--database_space_left_action=expire_oldest).</summary>
    public long ExpiredForSpace { get; init; }

    /// <summary>Why events are not being stored while they are not, else empty.</summary>
    public string StoreError { get; init; } = "";

    /// <summary>Events built per second over the collector's whole life, rounded down; 0 before a full second.</summary>
    public long EventsPerSecond => ElapsedSeconds >= 1 ? (long)(EventsBuilt / ElapsedSeconds) : 0;
}
