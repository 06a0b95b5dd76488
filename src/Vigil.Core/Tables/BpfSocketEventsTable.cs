using Vigil.Bpf;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// osquery's bpf_socket_events (specs/linux/bpf_socket_events.table): connect, bind, listen and accept calls, failed
/// ones too, with the socket's family, type and protocol. Each side's address comes from the socket itself when the
/// kernel has it (the local end of a connect, both ends of an accepted socket), else from the call's sockaddr; a
/// unix socket's path stands in the address of the side it names.
/// </summary>
public sealed class BpfSocketEventsTable : IBpfEventTable
{
    private const int ExitCode = 6;
    private const int Syscall = 8;
    private const int Fd = 10;
    private const int Family = 11;
    private const int Type = 12;
    private const int Protocol = 13;
    private const int LocalAddress = 14;
    private const int RemoteAddress = 15;
    private const int LocalPort = 16;
    private const int RemotePort = 17;
    private const int Duration = 18;
    private const int Ntime = 19;
    private const int Time = 20;
    private const int Eid = 21;

    /// <summary>specs/linux/bpf_socket_events.table, in osquery's order.</summary>
    public static TableSpec Schema { get; } = new(
        "bpf_socket_events",
        "Track network socket opens and closes.",
        isEventTable: true,
        [
            .. BpfColumns.Leading,
            new("exit_code", ColumnType.Text, "Exit code of the system call"),
            new("probe_error", ColumnType.Integer, "Set to 1 if one or more buffers could not be captured"),
            new("syscall", ColumnType.Text, "System call name"),
            new("path", ColumnType.Text, "Path of executed file"),
            new("fd", ColumnType.Text, "The file description for the process socket"),
            new("family", ColumnType.Integer, "The Internet protocol family ID"),
            new("type", ColumnType.Integer, "The socket type"),
            new("protocol", ColumnType.Integer, "The network protocol ID"),
            new("local_address", ColumnType.Text, "Local address associated with socket"),
            new("remote_address", ColumnType.Text, "Remote address associated with socket"),
            new("local_port", ColumnType.Integer, "Local network protocol port number"),
            new("remote_port", ColumnType.Integer, "Remote network protocol port number"),
            new("duration", ColumnType.Integer, "How much time was spent inside the syscall (nsecs)"),
            new("ntime", ColumnType.Text, "The nsecs uptime timestamp as obtained from BPF"),
            new("time", ColumnType.BigInt, "Time of execution in UNIX time", Hidden: true),
            new("eid", ColumnType.Integer, "Event ID", Hidden: true),
        ]);

    public TableSpec Spec => Schema;

    public bool TryBuildRow(in BpfRecord record, BpfClock clock, Span<ColumnValue> row)
    {
        if (!record.IsSocket)
        {
            return false;
        }

        ref readonly var header = ref record.Header;
        ref readonly var socket = ref record.Socket;
        SockAddr.TryRead(record.Sockaddr, !BitConverter.IsLittleEndian, out var named);
        int family = socket.Family != 0 ? socket.Family : named.Family;
        var (localAddress, localPort) = Endpoint(family, record.LocalAddress, socket.LocalPort);
        var (remoteAddress, remotePort) = Endpoint(family, record.RemoteAddress, socket.RemotePort);
        var namesLocal = record.Kind == BpfEventKind.Bind;
        if (named.Family == SockAddr.AfUnix)
        {
            (localAddress, remoteAddress) = namesLocal ? (named.Path, remoteAddress) : (localAddress, named.Path);
        }
        else if (named.Family is SockAddr.AfInet or SockAddr.AfInet6)
        {
            // The call's own sockaddr wins for the side it names: a failed connect leaves the socket without a peer.
            if (namesLocal)
            {
                (localAddress, localPort) = (named.Address, named.Port);
            }
            else
            {
                (remoteAddress, remotePort) = (named.Address, named.Port);
            }
        }

        row[ExitCode] = ColumnValue.Of(BpfColumns.Decimal(header.Ret));
        row[Syscall] = ColumnValue.Of(Action(record.Kind));
        row[Fd] = ColumnValue.Of(BpfColumns.Decimal(socket.Fd));
        row[Family] = ColumnValue.Of(family);
        row[Type] = ColumnValue.Of(socket.Type);
        row[Protocol] = ColumnValue.Of(socket.Protocol);
        row[LocalAddress] = ColumnValue.Of(localAddress);
        row[RemoteAddress] = ColumnValue.Of(remoteAddress);
        row[LocalPort] = ColumnValue.Of(localPort);
        row[RemotePort] = ColumnValue.Of(remotePort);
        BpfColumns.Common(in record, clock, row, Duration, Ntime, Time, Eid);
        return true;
    }

    /// <summary>The socket action osquery names a call by: accept4 is an accept.</summary>
    public static string Action(BpfEventKind kind) => kind switch
    {
        BpfEventKind.Connect => "connect",
        BpfEventKind.Bind => "bind",
        BpfEventKind.Listen => "listen",
        _ => "accept",
    };

    private static (string Address, int Port) Endpoint(int family, ReadOnlySpan<byte> address, int port) =>
        family is SockAddr.AfInet or SockAddr.AfInet6 ? (BpfColumns.Address(family, address), port) : (string.Empty, 0);
}
