using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// osquery's socket_events: bind, connect, accept and accept4 calls that carry a SOCKADDR record, made directly or
/// through socketcall (which osquery ignores), on any architecture with a syscall table, with osquery's filters and
/// status values. IPv6 addresses come in the canonical short form. The hidden context columns
/// (<see cref="ContextColumns"/>) say whose process made the call. A BSM trail's records are built by
/// <see cref="BsmSocketEventsRows"/>.
/// </summary>
public sealed class SocketEventsTable : IEventTable
{
    /// <summary>EINPROGRESS and EAGAIN (include/uapi/asm-generic/errno.h, errno-base.h).</summary>
    private const long Einprogress = 115;
    private const long Eagain = 11;

    private static readonly TableColumns Columns = new();

    internal static readonly int Action = Columns.Add("action", ColumnType.Text, "The socket action (bind, connect, accept)");
    internal static readonly int Pid = Columns.Add("pid", ColumnType.BigInt, "Process (or thread) ID");
    internal static readonly int Path = Columns.Add("path", ColumnType.Text, "Path of executed file");
    internal static readonly int Fd = Columns.Add("fd", ColumnType.Text, "The file description for the process socket");
    internal static readonly int Auid = Columns.Add("auid", ColumnType.BigInt, "Audit User ID");
    internal static readonly int Family = Columns.Add("family", ColumnType.Integer, "The Internet protocol family ID");
    internal static readonly int Protocol = Columns.Add("protocol", ColumnType.Integer, "The network protocol ID", hidden: true);
    internal static readonly int LocalAddress = Columns.Add("local_address", ColumnType.Text, "Local address associated with socket");
    internal static readonly int RemoteAddress = Columns.Add("remote_address", ColumnType.Text, "Remote address associated with socket");
    internal static readonly int LocalPort = Columns.Add("local_port", ColumnType.Integer, "Local network protocol port number");
    internal static readonly int RemotePort = Columns.Add("remote_port", ColumnType.Integer, "Remote network protocol port number");
    internal static readonly int Socket = Columns.Add("socket", ColumnType.Text, "The local path (UNIX domain socket only)", hidden: true);
    internal static readonly int Time = Columns.Add("time", ColumnType.BigInt, "Time of execution in UNIX time");
    internal static readonly int Uptime = Columns.Add("uptime", ColumnType.BigInt, "Time of execution in system uptime");
    internal static readonly int Eid = Columns.Add("eid", ColumnType.Text, "Event ID", hidden: true);
    internal static readonly int Success = Columns.Add("success", ColumnType.Integer, "Deprecated. Use the 'status' column instead", hidden: true);
    internal static readonly int Status = Columns.Add("status", ColumnType.Text, "Either 'succeeded', 'failed', 'in_progress' (connect() on non-blocking socket) or 'no_client' (null accept() on non-blocking socket)");
    internal static readonly ContextColumns Context = new(Columns);

    /// <summary>specs/posix/socket_events.table with its Linux extension, in osquery's order.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("socket_events", "Track network socket bind, connect, and accepts.", isEventTable: true);

    private readonly SocketEventsOptions _options;
    private readonly ProcessContext _context;
    private readonly IUptimeSource _uptime;
    private readonly BsmSocketEventsRows _bsm;

    /// <summary>Rows with a tree that knows what the events say (log files, tests).</summary>
    public SocketEventsTable(SocketEventsOptions options)
        : this(options, ProcessContext.ForLogFiles(), BootTimeUptime.Instance)
    {
    }

    public SocketEventsTable(SocketEventsOptions options, ProcessContext context)
        : this(options, context, BootTimeUptime.Instance)
    {
    }

    public SocketEventsTable(SocketEventsOptions options, ProcessContext context, IUptimeSource uptime)
    {
        _options = options;
        _context = context;
        _uptime = uptime;
        _bsm = new BsmSocketEventsRows(options, uptime);
    }

    public TableSpec Spec => Schema;

    public bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row)
    {
        if (auditEvent.FirstType == RecordType.Bsm)
        {
            return _bsm.TryBuildRow(auditEvent.GetBody(0), row);
        }

        // Most events in a busy log are execs, without a SOCKADDR: the process tree learns from them (when no
        // process_events table did), and they are turned away before the rest of the SYSCALL is read.
        if (!auditEvent.TryGetRecord(RecordType.Sockaddr, out var sockaddr))
        {
            _context.Learn(auditEvent);
            return false;
        }

        if (!auditEvent.TryGetRecord(RecordType.Syscall, out var body))
        {
            return false;
        }

        if (!auditEvent.TryGetSyscall(out var arch, out var number))
        {
            return false;
        }

        var syscall = SyscallFields.Read(body);
        var name = SyscallTable.GetName(arch, number);
        var fd = syscall.A0;
        var hasFd = syscall.HasA0;
        if (name == SocketCall.Name)
        {
            // A 32-bit process's call through the socketcall multiplexer: the SYSCALL's a0 says which call, and the
            // SOCKETCALL record has that call's own arguments, the socket first.
            name = syscall.TryGetA0(out var call) ? SocketCall.NameOf(call) : null;
            hasFd = auditEvent.TryGetRecord(RecordType.Socketcall, out var arguments) && AuditFields.TryGet(arguments, "a0"u8, out fd);
        }

        var action = name switch
        {
            "bind" => "bind",
            "connect" => "connect",
            "accept" or "accept4" when _options.AllowAccept => "accept",
            _ => null,
        };
        if (action is null
            || !TryGetStatus(_options, syscall.Success.SequenceEqual("yes"u8), SyscallFields.TryParseInt64(syscall.Exit, out var exit) ? exit : 0, action, out var status, out var success)
            || !AuditFields.TryGet(sockaddr, "saddr"u8, out var saddr)
            || !SockAddr.TryParse(saddr, SyscallTable.IsBigEndian(arch), out var address)
            || !TryPlaceAddress(_options, action, in address, row))
        {
            return false;
        }

        row[Action] = ColumnValue.Of(action);
        row[Pid] = EventColumns.Integer(syscall.Pid);
        row[Path] = ColumnValue.Of(syscall.HasExe ? _context.Texts.Decode(syscall.Exe) : string.Empty);
        row[Fd] = hasFd ? ColumnValue.Of(Encoding.UTF8.GetString(fd)) : ColumnValue.Null;
        row[Auid] = EventColumns.Integer(syscall.Auid);
        row[Family] = ColumnValue.Of(address.Family);
        row[Protocol] = ColumnValue.Of(0);
        row[Time] = ColumnValue.Of(auditEvent.Seconds);
        row[Uptime] = ColumnValue.Of(_uptime.GetUptimeSeconds());
        row[Eid] = ColumnValue.Of(string.Empty);
        row[Success] = ColumnValue.Of(success);
        row[Status] = ColumnValue.Of(status);
        SyscallFields.TryParseInt64(syscall.Pid, out var pid);
        SyscallFields.TryParseInt64(syscall.Ppid, out var ppid);
        Context.Write(row, _context, in syscall, pid, ppid, auditEvent.TimeMilliseconds);
        return true;
    }

    /// <summary>
    /// Puts the call's sockaddr in the address columns: a bind names the local end, connect and accept the peer; a
    /// unix socket's path goes in <c>socket</c>. False for what osquery keeps no row of (unnamed unix peers, unix
    /// sockets unless allowed, other families).
    /// </summary>
    public static bool TryPlaceAddress(SocketEventsOptions options, string action, in SockAddr address, Span<ColumnValue> row)
    {
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
            case SockAddr.AfUnix when options.AllowUnix && address.Path.Length > 0:
                // An unnamed peer (accept on a unix socket gives a bare family) is no row in osquery either.
                row[Socket] = ColumnValue.Of(address.Path);
                break;
            default:
                // Netlink and the other families are not socket events.
                return false;
        }

        return true;
    }

    /// <summary>
    /// osquery's status and success columns of a call that returned <paramref name="exit"/>, and whether the options
    /// keep its row (failed calls and null accepts only when allowed).
    /// </summary>
    public static bool TryGetStatus(SocketEventsOptions options, bool succeeded, long exit, string action, out string status, out int success) =>
        TryGetStatus(options, action, succeeded, exit == -Einprogress, exit == -Eagain, out status, out success);

    /// <summary>
    /// The same, from what the call's error was: <paramref name="inProgress"/> (EINPROGRESS) or <paramref name="wouldBlock"/>
    /// (EAGAIN), whatever numbers the source gives them.
    /// </summary>
    public static bool TryGetStatus(SocketEventsOptions options, string action, bool succeeded, bool inProgress, bool wouldBlock, out string status, out int success)
    {
        if (succeeded)
        {
            (status, success) = ("succeeded", 1);
            return true;
        }

        if (action == "connect" && inProgress)
        {
            (status, success) = ("in_progress", 1);
            return true;
        }

        if (action == "accept" && wouldBlock)
        {
            (status, success) = ("no_client", 1);
            return options.AllowNullAccept;
        }

        (status, success) = ("failed", 0);
        return options.AllowFailed;
    }
}
