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

    /// <summary>Events whose SYSCALL names an architecture Vigil has no syscall table for: no table can read them.</summary>
    public long UnknownArchEvents;

    /// <summary>Events whose syscall number is not in the table of their architecture.</summary>
    public long UnknownSyscallEvents;

    /// <summary>The <c>arch</c> of the last event counted in UnknownArchEvents or UnknownSyscallEvents.</summary>
    public long LastUnknownArch;

    /// <summary>The <c>syscall</c> of that event.</summary>
    public long LastUnknownSyscall;

    /// <summary>
    /// The line that reports events of an unknown architecture or syscall, for the shell's summary and the status
    /// log; null when there were none.
    /// </summary>
    public string? UnknownSyscallsLine() => UnknownArchEvents + UnknownSyscallEvents == 0
        ? null
        : $"{UnknownArchEvents} events of an architecture without a syscall table and {UnknownSyscallEvents} of a syscall "
          + $"missing from its architecture's table made no rows (the last: arch={LastUnknownArch:x} syscall={LastUnknownSyscall})";
}
