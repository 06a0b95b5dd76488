using System.Text;
using Vigil.Records;
using Vigil.Sources;

namespace Vigil.Ingest;

/// <summary>
/// <c>--audit_debug</c>: prints every record as auditd would log it, then passes it on. Debug output is allowed to
/// allocate; it is off on the normal path.
/// </summary>
public sealed class RecordPrinter(IRecordSink next, TextWriter output) : IRecordSink
{
    /// <inheritdoc/>
    public void OnRecord(in AuditRecord record)
    {
        var name = RecordType.GetName(record.Type);
        output.WriteLine($"type={name} msg=audit({record.Seconds}.{record.Milliseconds:D3}:{record.Serial}): {Encoding.UTF8.GetString(record.Body)}");
        next.OnRecord(record);
    }

    /// <inheritdoc/>
    public void OnMalformed(ReadOnlySpan<byte> raw)
    {
        output.WriteLine($"malformed record: {Encoding.UTF8.GetString(raw)}");
        next.OnMalformed(raw);
    }
}
