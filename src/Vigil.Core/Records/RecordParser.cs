using System.Runtime.CompilerServices;
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
    /// <param name="line">The line.</param>
    /// <param name="record">The record it holds.</param>
    /// <param name="mayBeEnriched">False when the caller knows the line has no separator (it looked through a whole
    /// chunk of lines at once), which spares looking through each record's body again.</param>
    public static bool TryParseLogLine(ReadOnlySpan<byte> line, out AuditRecord record, bool mayBeEnriched = true)
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
        var separator = mayBeEnriched ? body.IndexOf(EnrichmentSeparator) : -1;
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

        // One pass over the digits, as this runs for every record: SEC, exactly three digits of MS, SERIAL, each
        // digits only (no sign) and within its type.
        var at = "audit(".Length;
        if (!TryReadDigits(text, ref at, long.MaxValue, out var whole) || !TryRead(text, ref at, (byte)'.'))
        {
            return false;
        }

        var msStart = at;
        if (!TryReadDigits(text, ref at, 999, out var ms) || at - msStart != 3
            || !TryRead(text, ref at, (byte)':')
            || !TryReadDigits(text, ref at, uint.MaxValue, out var number)
            || !TryRead(text, ref at, (byte)')') || !TryRead(text, ref at, (byte)':'))
        {
            return false;
        }

        seconds = (long)whole;
        milliseconds = (int)ms;
        serial = (uint)number;
        body = text[at..].TrimStart((byte)' ');
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryRead(ReadOnlySpan<byte> text, ref int at, byte expected)
    {
        if ((uint)at >= (uint)text.Length || text[at] != expected)
        {
            return false;
        }

        at++;
        return true;
    }

    // At least one digit, and a value not over max. Nineteen digits never overflow a ulong, so the digits are summed
    // unchecked and the bound looked at once: a check per digit had been a fifth of the reading thread. The position
    // and the sum are kept in locals: kept behind the ref and the out parameter, both were written back for every digit.
    // Inlined, with TryRead, into the stamp's parse, whose position then stays in a register.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool TryReadDigits(ReadOnlySpan<byte> text, ref int at, ulong max, out ulong value)
    {
        const int MostDigits = 19;
        ulong sum = 0;
        var end = at;
        uint digit;
        while ((uint)end < (uint)text.Length && (digit = (uint)(text[end] - '0')) <= 9)
        {
            sum = (sum * 10) + digit;
            end++;
        }

        var digits = end - at;
        at = end;
        value = sum;
        return digits is > 0 and <= MostDigits && sum <= max;
    }

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
