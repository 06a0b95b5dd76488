namespace Vigil.Records;

/// <summary>Parses record headers from the two places records come from: netlink payloads and auditd log lines.</summary>
public static class RecordParser
{
    /// <summary>
    /// A netlink payload: <c>audit(1700000000.123:456): body</c>; the type comes from nlmsg_type.
    /// </summary>
    public static bool TryParseNetlink(int type, ReadOnlySpan<byte> payload, out AuditRecord record) =>
        throw new NotImplementedException();

    /// <summary>
    /// One auditd log line, RAW or ENRICHED: <c>[node=N ]type=NAME msg=audit(SEC.MS:SERIAL): body[0x1D enriched]</c>.
    /// <c>type=UNKNOWN[1234]</c> gives type 1234.
    /// </summary>
    public static bool TryParseLogLine(ReadOnlySpan<byte> line, out AuditRecord record) =>
        throw new NotImplementedException();
}
