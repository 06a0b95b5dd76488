using System.Text;
using Vigil.Events;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// osquery's socket_events: bind, connect, accept and accept4 calls that carry a SOCKADDR record, with
/// osquery's filters and status values. IPv6 addresses come in the canonical short form.
/// </summary>
public sealed class SocketEventsTable : IEventTable
{

    /// <summary>EINPROGRESS and EAGAIN (include/uapi/asm-generic/errno.h, errno-base.h).</summary>
    private const long Einprogress = 115;
    private const long Eagain = 11;

    private const int Action = 0;
    private const int Pid = 1;
    private const int Path = 2;
    private const int Fd = 3;
    private const int Auid = 4;
    private const int Family = 5;
    private const int Protocol = 6;
    private const int LocalAddress = 7;
    private const int RemoteAddress = 8;
    private const int LocalPort = 9;
    private const int RemotePort = 10;
    private const int Socket = 11;
    private const int Time = 12;
    private const int Uptime = 13;
    private const int Eid = 14;
    private const int Success = 15;
    private const int Status = 16;

    /// <summary>specs/posix/socket_events.table with its Linux extension, in osquery's order.</summary>
    public static TableSpec Schema { get; } = new(
        "socket_events",
        "Track network socket bind, connect, and accepts.",
        isEventTable: true,
        [
            new("action", ColumnType.Text, "The socket action (bind, connect, accept)"),
            new("pid", ColumnType.BigInt, "Process (or thread) ID"),
            new("path", ColumnType.Text, "Path of executed file"),
            new("fd", ColumnType.Text, "The file description for the process socket"),
            new("auid", ColumnType.BigInt, "Audit User ID"),
            new("family", ColumnType.Integer, "The Internet protocol family ID"),
            new("protocol", ColumnType.Integer, "The network protocol ID", Hidden: true),
            new("local_address", ColumnType.Text, "Local address associated with socket"),
            new("remote_address", ColumnType.Text, "Remote address associated with socket"),
            new("local_port", ColumnType.Integer, "Local network protocol port number"),
            new("remote_port", ColumnType.Integer, "Remote network protocol port number"),
            new("socket", ColumnType.Text, "The local path (UNIX domain socket only)", Hidden: true),
            new("time", ColumnType.BigInt, "Time of execution in UNIX time"),
            new("uptime", ColumnType.BigInt, "Time of execution in system uptime"),
            new("eid", ColumnType.Text, "Event ID", Hidden: true),
            new("success", ColumnType.Integer, "Deprecated. Use the 'status' column instead", Hidden: true),
            new("status", ColumnType.Text, "Either 'succeeded', 'failed', 'in_progress' (connect() on non-blocking socket) or 'no_client' (null accept() on non-blocking socket)"),
        ]);

    private readonly SocketEventsOptions _options;
    private readonly IUptimeSource _uptime;

    public SocketEventsTable(SocketEventsOptions options)
        : this(options, BootTimeUptime.Instance)
    {
    }

    public SocketEventsTable(SocketEventsOptions options, IUptimeSource uptime)
    {
        _options = options;
        _uptime = uptime;
    }

    public TableSpec Spec => Schema;

    public bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row)
    {
        // Most events in a busy log are execs, without a SOCKADDR: they are turned away before the SYSCALL is read.
        if (!auditEvent.TryGetRecord(RecordType.Sockaddr, out var sockaddr) || !auditEvent.TryGetRecord(RecordType.Syscall, out var body))
        {
            return false;
        }

        var syscall = SyscallFields.Read(body);
        if (!syscall.TryGetArch(out var arch) || !SyscallFields.TryParseInt64(syscall.Syscall, out var number))
        {
            return false;
        }

        var action = SyscallTable.GetName((uint)arch, (int)number) switch
        {
            "bind" => "bind",
            "connect" => "connect",
            "accept" or "accept4" when _options.AllowAccept => "accept",
            _ => null,
        };
        if (action is null
            || !TryGetStatus(in syscall, action, out var status, out var success)
            || !AuditFields.TryGet(sockaddr, "saddr"u8, out var saddr)
            || !SockAddr.TryParse(saddr, out var address))
        {
            return false;
        }

        row[LocalAddress] = ColumnValue.Null;
        row[RemoteAddress] = ColumnValue.Null;
        row[LocalPort] = ColumnValue.Of(0);
        row[RemotePort] = ColumnValue.Of(0);
        row[Socket] = ColumnValue.Null;
        switch (address.Family)
        {
            case SockAddr.AfInet or SockAddr.AfInet6:
                // A bind names the local end; connect and accept name the peer.
                var isBind = action == "bind";
                row[isBind ? LocalAddress : RemoteAddress] = ColumnValue.Of(address.Address);
                row[isBind ? LocalPort : RemotePort] = ColumnValue.Of(address.Port);
                break;
            case SockAddr.AfUnix when _options.AllowUnix && address.Path.Length > 0:
                // An unnamed peer (accept on a unix socket gives a bare family) is no row in osquery either.
                row[Socket] = ColumnValue.Of(address.Path);
                break;
            default:
                // Netlink and the other families are not socket events.
                return false;
        }

        row[Action] = ColumnValue.Of(action);
        row[Pid] = EventColumns.Integer(syscall.Pid);
        row[Path] = ColumnValue.Of(syscall.HasExe ? AuditValue.DecodeText(syscall.Exe) : string.Empty);
        row[Fd] = syscall.HasA0 ? ColumnValue.Of(Encoding.UTF8.GetString(syscall.A0)) : ColumnValue.Null;
        row[Auid] = EventColumns.Integer(syscall.Auid);
        row[Family] = ColumnValue.Of(address.Family);
        row[Protocol] = ColumnValue.Of(0);
        row[Time] = ColumnValue.Of(auditEvent.Seconds);
        row[Uptime] = ColumnValue.Of(_uptime.GetUptimeSeconds());
        row[Eid] = ColumnValue.Of(string.Empty);
        row[Success] = ColumnValue.Of(success);
        row[Status] = ColumnValue.Of(status);
        return true;
    }

    private bool TryGetStatus(in SyscallFields syscall, string action, out string status, out int success)
    {
        if (syscall.Success.SequenceEqual("yes"u8))
        {
            (status, success) = ("succeeded", 1);
            return true;
        }

        SyscallFields.TryParseInt64(syscall.Exit, out var exit);
        if (action == "connect" && exit == -Einprogress)
        {
            (status, success) = ("in_progress", 1);
            return true;
        }

        if (action == "accept" && exit == -Eagain)
        {
            (status, success) = ("no_client", 1);
            return _options.AllowNullAccept;
        }

        (status, success) = ("failed", 0);
        return _options.AllowFailed;
    }
}
