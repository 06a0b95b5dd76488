namespace Vigil.Records;

/// <summary>
/// One audit record as a view over bytes the source owns: the header already parsed, the body left as
/// raw <c>key=value</c> text. Nothing is copied; a consumer that keeps a record past the call copies it.
/// </summary>
public readonly ref struct AuditRecord
{
    /// <summary>The record type (AUDIT_SYSCALL 1300, AUDIT_EXECVE 1309, …).</summary>
    public int Type { get; init; }

    /// <summary>Seconds since the epoch, from <c>audit(SEC.MS:SERIAL)</c>.</summary>
    public long Seconds { get; init; }

    /// <summary>Milliseconds part of the timestamp.</summary>
    public int Milliseconds { get; init; }

    /// <summary>The event serial shared by every record of one event.</summary>
    public uint Serial { get; init; }

    /// <summary>The <c>node=</c> value of a log line, empty when absent.</summary>
    public ReadOnlySpan<byte> Node { get; init; }

    /// <summary>The fields after <c>): </c>, without the ENRICHED part.</summary>
    public ReadOnlySpan<byte> Body { get; init; }

    /// <summary>The ENRICHED fields after the 0x1D separator; empty for RAW records.</summary>
    public ReadOnlySpan<byte> Enrichment { get; init; }
}
