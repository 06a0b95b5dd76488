namespace Vigil.Events;

/// <summary>What the ingest path has seen; read by audit_status and the status log. Written by one thread.</summary>
public sealed class IngestCounters
{
    public long RecordsReceived;
    public long MalformedRecords;
    public long EventsBuilt;
    public long SequenceGaps;
    public long EventsEvicted;
    public long EventsDropped;
}
