namespace Vigil.Events;

/// <summary>What the ingest path has seen; read by audit_status and the status log. Written by one thread.</summary>
public sealed class IngestCounters
{
    /// <summary>Well-formed records handed to the reassembler.</summary>
    public long RecordsReceived;

    /// <summary>Lines or payloads that could not be parsed as a record, skipped.</summary>
    public long MalformedRecords;

    /// <summary>Events handed to the event sink, counted by the reassembler alone.</summary>
    public long EventsBuilt;

    /// <summary>Rows the event tables built from those events, counted by the router.</summary>
    public long RowsBuilt;

    /// <summary>Kernel serials never seen (lost records), net of serials that arrived late within the window.</summary>
    public long SequenceGaps;

    /// <summary>Events completed early because too many were in flight.</summary>
    public long EventsEvicted;

    /// <summary>Records of an event that had already been emitted (duplicates, or too late), dropped.</summary>
    public long LateRecords;
}
