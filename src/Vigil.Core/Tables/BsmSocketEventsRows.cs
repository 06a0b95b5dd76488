using System.Globalization;
using System.Net;
using System.Text;
using Vigil.Bsm;
using Vigil.Records;
using S = Vigil.Tables.SocketEventsTable;

namespace Vigil.Tables;

/// <summary>
/// socket_events rows from a BSM trail's connect, bind and accept records, with the same filters, address placement
/// and status as the Linux rows: the address from the socket token (a bind's local end, a connect's or accept's
/// peer; an expanded socket token gives both ends), the descriptor from argument 1, the path from the process's exec
/// earlier in the trail, <c>success</c> from the return token.
/// </summary>
public sealed class BsmSocketEventsRows(SocketEventsOptions options, IUptimeSource uptime)
{
    /// <summary>BSM_ERRNO_EINPROGRESS and BSM_ERRNO_EAGAIN (sys/bsm/audit_errno.h).</summary>
    private const int BsmEinprogress = 150;
    private const int BsmEagain = 11;

    private readonly BsmProcessMap _processes = new();

    /// <summary>Fills <paramref name="row"/> from the BSM record <paramref name="body"/> when it is a socket call osquery keeps.</summary>
    public bool TryBuildRow(ReadOnlySpan<byte> body, Span<ColumnValue> row)
    {
        var kind = BsmEvents.Kind(BsmRecord.EventTypeOf(body));
        var action = kind switch
        {
            BsmEventKind.Connect => "connect",
            BsmEventKind.Bind => "bind",
            BsmEventKind.Accept when options.AllowAccept => "accept",
            _ => null,
        };
        if (kind is BsmEventKind.Exec or BsmEventKind.Exit && BsmRecord.TryRead(body, out var process))
        {
            _processes.Observe(process, kind);
        }

        if (action is null || !BsmRecord.TryRead(body, out var record))
        {
            return false;
        }

        var error = record.ReturnError ?? 0;
        if (!S.TryGetStatus(options, action, error == 0, error == BsmEinprogress, error == BsmEagain, out var status, out var success)
            || !TryGetAddress(record, action, out var address)
            || !S.TryPlaceAddress(options, action, in address, row))
        {
            return false;
        }

        var subject = record.Subject;
        row[S.Action] = ColumnValue.Of(action);
        row[S.Pid] = subject.Present ? ColumnValue.Of(subject.Pid) : ColumnValue.Null;
        row[S.Path] = ColumnValue.Of(subject.Present ? _processes.Path(subject.Pid) : string.Empty);
        row[S.Fd] = record.Arg1 is { } fd ? ColumnValue.Of(fd.ToString("x", CultureInfo.InvariantCulture)) : ColumnValue.Null;
        row[S.Auid] = subject.Present ? ColumnValue.Of(subject.Auid) : ColumnValue.Null;
        row[S.Family] = ColumnValue.Of(address.Family);
        row[S.Protocol] = ColumnValue.Of(0);
        row[S.Time] = ColumnValue.Of(record.Seconds);
        row[S.Uptime] = ColumnValue.Of(uptime.GetUptimeSeconds());
        row[S.Eid] = ColumnValue.Of(string.Empty);
        row[S.Success] = ColumnValue.Of(success);
        row[S.Status] = ColumnValue.Of(status);
        S.Context.WriteUnknown(row);
        return true;
    }

    /// <summary>The address the call named: the socket token's, else the end of an expanded socket token the action names.</summary>
    private static bool TryGetAddress(in BsmRecord record, string action, out SockAddr address)
    {
        var named = record.Socket.Family != 0 ? record.Socket : action == "bind" ? record.SocketLocal : record.SocketRemote;
        address = named.Family switch
        {
            BsmAddress.AfInet or BsmAddress.AfInet6 => new SockAddr(named.Family, named.Port, new IPAddress(named.Address).ToString(), string.Empty),
            BsmAddress.AfUnix => new SockAddr(named.Family, 0, string.Empty, Encoding.UTF8.GetString(named.Path)),
            _ => default,
        };
        return named.Family != 0;
    }
}
