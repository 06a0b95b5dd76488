using System.Text;
using Vigil.KernelAbi;

namespace Vigil.Records;

/// <summary>
/// <c>--audit_debug</c>: prints every record as auditd would log it, then passes it on. Debug output is allowed to
/// allocate; it is off on the normal path. With <paramref name="withholdArguments"/> (<c>--audit_redact_patterns</c>
/// is set) the bodies of EXECVE and PROCTITLE records are not printed: they hold the command line unredacted.
/// </summary>
public sealed class RecordPrinter(IRecordSink next, TextWriter output, bool withholdArguments = false) : IRecordSink
{
    /// <summary>What is printed instead of an EXECVE or PROCTITLE body when arguments are withheld.</summary>
    public const string Withheld = "(arguments withheld: --audit_redact_patterns is set)";

    /// <inheritdoc/>
    public void OnRecord(in AuditRecord record)
    {
        var name = RecordType.GetName(record.Type);
        var body = withholdArguments && record.Type is RecordType.Execve or RecordType.Proctitle
            ? Withheld
            : Encoding.UTF8.GetString(record.Body);
        output.WriteLine($"type={name} msg=audit({record.Seconds}.{record.Milliseconds:D3}:{record.Serial}): {body}");
        next.OnRecord(record);
    }

    /// <inheritdoc/>
    public void OnMalformed(ReadOnlySpan<byte> raw)
    {
        output.WriteLine($"malformed record: {Encoding.UTF8.GetString(raw)}");
        next.OnMalformed(raw);
    }
}
