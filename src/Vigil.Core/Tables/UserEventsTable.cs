using System.Text;
using Vigil.Events;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// osquery's user_events: one row per user-space record (PAM, logins, …). osquery keeps only the first word
/// of <c>msg='…'</c> because its parser splits the body on spaces; Vigil keeps the whole message.
/// </summary>
public sealed class UserEventsTable : IEventTable
{
    private static readonly TableColumns Columns = new();

    private static readonly int Uid = Columns.Add("uid", ColumnType.BigInt, "User ID");
    private static readonly int Auid = Columns.Add("auid", ColumnType.BigInt, "Audit User ID");
    private static readonly int Pid = Columns.Add("pid", ColumnType.BigInt, "Process (or thread) ID");
    private static readonly int Message = Columns.Add("message", ColumnType.Text, "Message from the event");
    private static readonly int Type = Columns.Add("type", ColumnType.Integer, "The file description for the process socket");
    private static readonly int Path = Columns.Add("path", ColumnType.Text, "Supplied path from event");
    private static readonly int Address = Columns.Add("address", ColumnType.Text, "The Internet protocol address or family ID");
    private static readonly int Terminal = Columns.Add("terminal", ColumnType.Text, "The network protocol ID");
    private static readonly int Time = Columns.Add("time", ColumnType.BigInt, "Time of execution in UNIX time");
    private static readonly int Uptime = Columns.Add("uptime", ColumnType.BigInt, "Time of execution in system uptime");
    private static readonly int Eid = Columns.Add("eid", ColumnType.Text, "Event ID", hidden: true);

    /// <summary>specs/posix/user_events.table, in osquery's order (its descriptions of type and terminal are osquery's).</summary>
    public static TableSpec Schema { get; } = Columns.Spec("user_events", "Track user events from the audit framework.", isEventTable: true);

    private readonly IUptimeSource _uptime;

    public UserEventsTable()
        : this(BootTimeUptime.Instance)
    {
    }

    public UserEventsTable(IUptimeSource uptime) => _uptime = uptime;

    public TableSpec Spec => Schema;

    /// <summary>
    /// The record types user space sends: AUDIT_USER 1005, AUDIT_LOGIN 1006, AUDIT_FIRST_USER_MSG..LAST_USER_MSG
    /// 1100–1199 and AUDIT_FIRST_USER_MSG2..LAST_USER_MSG2 2100–2999 (include/uapi/linux/audit.h).
    /// </summary>
    public static bool IsUserRecord(int type) =>
        type is 1005 or 1006 or (>= 1100 and <= 1199) or (>= 2100 and <= 2999);

    public bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row)
    {
        for (var i = 0; i < auditEvent.RecordCount; i++)
        {
            var type = auditEvent.GetRecordType(i);
            if (IsUserRecord(type))
            {
                Build(type, auditEvent.GetBody(i), auditEvent.Seconds, row);
                return true;
            }
        }

        return false;
    }

    private void Build(int type, ReadOnlySpan<byte> body, long seconds, Span<ColumnValue> row)
    {
        // The sender's own fields come before msg='…'; exe, addr and terminal are inside it.
        var message = SplitMessage(body, out var outer);
        row[Uid] = EventColumns.Integer(outer, "uid"u8);
        row[Auid] = EventColumns.Integer(outer, "auid"u8);
        row[Pid] = EventColumns.Integer(outer, "pid"u8);
        row[Message] = message.IsEmpty ? ColumnValue.Null : ColumnValue.Of(Encoding.UTF8.GetString(message));
        row[Type] = ColumnValue.Of(type);
        row[Path] = TryGetField(message, outer, "exe"u8, out var exe) ? ColumnValue.Of(AuditValue.DecodeText(exe)) : ColumnValue.Null;

        // As in osquery, "?" (what PAM writes when it does not know) is kept rather than made empty.
        row[Address] = TryGetField(message, outer, "addr"u8, out var address) ? ColumnValue.Of(Encoding.UTF8.GetString(address)) : ColumnValue.Null;
        row[Terminal] = TryGetField(message, outer, "terminal"u8, out var terminal) ? ColumnValue.Of(Encoding.UTF8.GetString(terminal)) : ColumnValue.Null;
        row[Time] = ColumnValue.Of(seconds);
        row[Uptime] = ColumnValue.Of(_uptime.GetUptimeSeconds());
        row[Eid] = ColumnValue.Of(string.Empty);
    }

    private static bool TryGetField(ReadOnlySpan<byte> message, ReadOnlySpan<byte> outer, ReadOnlySpan<byte> key, out ReadOnlySpan<byte> value) =>
        AuditFields.TryGet(message, key, out value) || AuditFields.TryGet(outer, key, out value);

    /// <summary>The text inside <c>msg='…'</c> (up to the last quote) and the fields before it.</summary>
    private static ReadOnlySpan<byte> SplitMessage(ReadOnlySpan<byte> body, out ReadOnlySpan<byte> outer)
    {
        var start = body.IndexOf("msg='"u8);
        while (start > 0 && body[start - 1] != (byte)' ')
        {
            var next = body[(start + 1)..].IndexOf("msg='"u8);
            start = next < 0 ? -1 : start + 1 + next;
        }

        if (start < 0)
        {
            outer = body;
            return default;
        }

        outer = body[..start];
        var message = body[(start + 5)..];
        var end = message.LastIndexOf((byte)'\'');
        return end < 0 ? message : message[..end];
    }
}
