using Vigil.Bpf;
using Vigil.Records;
using S = Vigil.Tables.SocketEventsTable;

namespace Vigil.Tables;

/// <summary>
/// socket_events rows from BPF records (<c>--event_source=bpf</c>): bind, connect and accept with the same filters
/// (<see cref="SocketEventsOptions"/>), address placement and status as the audit source; the protocol, which audit
/// does not know, is the socket's. The parent comes from <paramref name="context"/>, the process tree of
/// process_events' rows.
/// </summary>
public sealed class BpfSocketEventsRows(SocketEventsOptions options, ProcessContext context) : IBpfEventTable
{
    public TableSpec Spec => S.Schema;

    public bool TryBuildRow(in BpfRecord record, BpfClock clock, Span<ColumnValue> row)
    {
        var action = record.Kind switch
        {
            BpfEventKind.Bind => "bind",
            BpfEventKind.Connect => "connect",
            BpfEventKind.Accept or BpfEventKind.Accept4 when options.AllowAccept => "accept",
            _ => null,
        };
        ref readonly var header = ref record.Header;
        if (action is null
            || !S.TryGetStatus(options, header.Ret >= 0, header.Ret, action, out var status, out var success)
            || !SockAddr.TryRead(record.Sockaddr, !BitConverter.IsLittleEndian, out var address)
            || !S.TryPlaceAddress(options, action, in address, row))
        {
            return false;
        }

        row[S.Action] = ColumnValue.Of(action);
        row[S.Pid] = ColumnValue.Of(header.Pid);
        row[S.Path] = ColumnValue.Of(BpfColumns.Text(record.ExePath));
        // audit shows the descriptor as the hex a0 argument; so does this column, whichever the source.
        row[S.Fd] = ColumnValue.Of(record.Socket.Fd.ToString("x", System.Globalization.CultureInfo.InvariantCulture));
        row[S.Auid] = ColumnValue.Of(header.Auid);
        row[S.Family] = ColumnValue.Of(address.Family);
        row[S.Protocol] = ColumnValue.Of(record.Socket.Protocol);
        row[S.Time] = ColumnValue.Of(clock.UnixSeconds(header.TimeNs));
        row[S.Uptime] = ColumnValue.Of(BpfClock.UptimeSeconds(header.TimeNs));
        row[S.Eid] = ColumnValue.Of(string.Empty);
        row[S.Success] = ColumnValue.Of(success);
        row[S.Status] = ColumnValue.Of(status);
        S.Context.Write(row, context, in header, clock.UnixMilliseconds(header.TimeNs));
        return true;
    }
}
