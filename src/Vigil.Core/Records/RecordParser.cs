using System.Buffers.Text;
using Vigil.KernelAbi;

namespace Vigil.Records;

/// <summary>Parses record headers from the two places records come from: netlink payloads and auditd log lines.</summary>
public static class RecordParser
{
    /// <summary>The separator auditd's ENRICHED format puts between the record and its interpreted fields.</summary>
    public const byte EnrichmentSeparator = 0x1D;

    /// <summary>
    /// MAX_AUDIT_MESSAGE_LENGTH (include/linux/audit.h): the kernel never sends a longer payload, so a longer payload
    /// or log record body is not a record and is rejected as malformed rather than buffered.
    /// </summary>
    public const int MaxAuditMessageLength = 8970;

    /// <summary>
    /// A netlink payload: <c>audit(1700000000.123:456): body</c>; the type comes from nlmsg_type.
    /// Trailing NUL bytes and newlines the kernel may leave are trimmed.
    /// </summary>
    public static bool TryParseNetlink(int type, ReadOnlySpan<byte> payload, out AuditRecord record)
    {
        payload = TrimEnd(payload);
        if (payload.Length > MaxAuditMessageLength
            || !TryParseStamp(payload, out var seconds, out var milliseconds, out var serial, out var body))
        {
            record = default;
            return false;
        }

        record = new AuditRecord
        {
            Type = type,
            Seconds = seconds,
            Milliseconds = milliseconds,
            Serial = serial,
            Body = body,
        };
        return true;
    }

    /// <summary>
    /// One auditd log line, RAW or ENRICHED: <c>[node=N ]type=NAME msg=audit(SEC.MS:SERIAL): body[0x1D enriched]</c>.
    /// <c>type=UNKNOWN[1234]</c> gives type 1234. The body is limited to <see cref="MaxAuditMessageLength"/>; the
    /// whole line may be longer (ENRICHED interpretations), up to the log source's line limit.
    /// </summary>
    public static bool TryParseLogLine(ReadOnlySpan<byte> line, out AuditRecord record)
    {
        record = default;
        line = TrimEnd(line);

        ReadOnlySpan<byte> node = default;
        if (line.StartsWith("node="u8))
        {
            var end = line.IndexOf((byte)' ');
            if (end < 0)
            {
                return false;
            }

            node = line["node=".Length..end];
            line = line[(end + 1)..];
        }

        if (!line.StartsWith("type="u8))
        {
            return false;
        }

        line = line["type=".Length..];
        var nameEnd = line.IndexOf((byte)' ');
        if (nameEnd <= 0 || !RecordType.TryGetNumber(line[..nameEnd], out var type))
        {
            return false;
        }

        line = line[(nameEnd + 1)..];
        if (!line.StartsWith("msg="u8)
            || !TryParseStamp(line["msg=".Length..], out var seconds, out var milliseconds, out var serial, out var body))
        {
            return false;
        }

        ReadOnlySpan<byte> enrichment = default;
        var separator = body.IndexOf(EnrichmentSeparator);
        if (separator >= 0)
        {
            enrichment = body[(separator + 1)..];
            body = body[..separator];
        }

        if (body.Length > MaxAuditMessageLength)
        {
            return false;
        }

        record = new AuditRecord
        {
            Type = type,
            Seconds = seconds,
            Milliseconds = milliseconds,
            Serial = serial,
            Node = node,
            Body = body,
            Enrichment = enrichment,
        };
        return true;
    }

    /// <summary>
    /// <c>audit(SEC.MS:SERIAL):</c> followed by the body; the kernel always writes three digits of milliseconds.
    /// </summary>
    private static bool TryParseStamp(
        ReadOnlySpan<byte> text, out long seconds, out int milliseconds, out uint serial, out ReadOnlySpan<byte> body)
    {
        seconds = 0;
        milliseconds = 0;
        serial = 0;
        body = default;
        if (!text.StartsWith("audit("u8))
        {
            return false;
        }

        text = text["audit(".Length..];
        var dot = text.IndexOf((byte)'.');
        var colon = text.IndexOf((byte)':');
        var close = text.IndexOf("):"u8);
        if (dot <= 0 || colon != dot + 4 || close <= colon + 1)
        {
            return false;
        }

        if (!TryParseWhole(text[..dot], out seconds)
            || !TryParseWhole(text[(dot + 1)..colon], out var ms)
            || !Utf8Parser.TryParse(text[(colon + 1)..close], out serial, out var consumed)
            || consumed != close - colon - 1
            || seconds < 0
            || ms < 0)
        {
            return false;
        }

        milliseconds = (int)ms;
        body = text[(close + 2)..].TrimStart((byte)' ');
        return true;
    }

    private static bool TryParseWhole(ReadOnlySpan<byte> digits, out long value) =>
        Utf8Parser.TryParse(digits, out value, out var consumed) && consumed == digits.Length && digits[0] != (byte)'-'
        && digits[0] != (byte)'+';

    private static ReadOnlySpan<byte> TrimEnd(ReadOnlySpan<byte> text)
    {
        var end = text.Length;
        while (end > 0 && (text[end - 1] == 0 || text[end - 1] == (byte)'\n' || text[end - 1] == (byte)'\r'))
        {
            end--;
        }

        return text[..end];
    }
}
