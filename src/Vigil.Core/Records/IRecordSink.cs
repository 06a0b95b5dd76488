namespace Vigil.Records;

/// <summary>Where a source delivers records, one call per record, on the source's thread.</summary>
public interface IRecordSink
{
    /// <summary>A well-formed record; its spans are valid only during the call.</summary>
    void OnRecord(in AuditRecord record);

    /// <summary>Bytes that could not be parsed as a record; counted and skipped, never fatal.</summary>
    void OnMalformed(ReadOnlySpan<byte> raw);
}
