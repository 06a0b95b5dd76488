using System.Text;
using Vigil.Bpf;
using P = Vigil.Tables.ProcessEventsTable;

namespace Vigil.Tables;

/// <summary>
/// process_events rows from BPF exec records (<c>--event_source=bpf</c>): the columns and their meaning as the audit
/// source gives them. The README lists where the two differ (mode and owner of a #! script, env columns). Each
/// exec is learned by <paramref name="context"/>, the process tree this table shares with socket_events' rows.
/// </summary>
public sealed class BpfProcessEventsRows(ProcessContext context, IFileTimes fileTimes) : IBpfEventTable
{
    public BpfProcessEventsRows(ProcessContext context)
        : this(context, new RecentFileTimes(StatxFileTimes.Instance))
    {
    }

    public TableSpec Spec => P.Schema;

    public bool TryBuildRow(in BpfRecord record, BpfClock clock, Span<ColumnValue> row)
    {
        if (!record.IsExec)
        {
            return false;
        }

        ref readonly var exec = ref record.Exec;
        ref readonly var header = ref exec.Header;
        var path = BpfColumns.Text(record.ExePath);
        var cmdline = BpfColumns.CommandLine(record.Argv);
        row[P.Pid] = ColumnValue.Of(header.Pid);
        row[P.Path] = ColumnValue.Of(path);
        row[P.Mode] = ColumnValue.Of(BpfColumns.Mode(exec.Mode));
        row[P.Cmdline] = ColumnValue.Of(cmdline);
        row[P.CmdlineSize] = ColumnValue.Of(Encoding.UTF8.GetByteCount(cmdline));
        row[P.Env] = ColumnValue.Of(string.Empty);
        row[P.EnvCount] = ColumnValue.Of(0);
        row[P.EnvSize] = ColumnValue.Of(0);
        row[P.Cwd] = ColumnValue.Of(BpfColumns.Text(record.Cwd));
        row[P.Auid] = ColumnValue.Of(header.Auid);
        row[P.Uid] = ColumnValue.Of(header.Uid);
        row[P.Euid] = ColumnValue.Of(header.Euid);
        row[P.Gid] = ColumnValue.Of(header.Gid);
        row[P.Egid] = ColumnValue.Of(header.Egid);
        row[P.OwnerUid] = ColumnValue.Of(exec.OwnerUid);
        row[P.OwnerGid] = ColumnValue.Of(exec.OwnerGid);
        fileTimes.TryGet(path, out var accessTime, out var modifyTime, out var changeTime, out _);
        row[P.Atime] = ColumnValue.Of(accessTime);
        row[P.Mtime] = ColumnValue.Of(modifyTime);
        row[P.Ctime] = ColumnValue.Of(changeTime);
        row[P.Btime] = ColumnValue.Of(0);
        row[P.Overflows] = ColumnValue.Of(string.Empty);
        row[P.Parent] = ColumnValue.Of(header.Ppid);
        row[P.Time] = ColumnValue.Of(clock.UnixSeconds(header.TimeNs));
        row[P.Uptime] = ColumnValue.Of(BpfClock.UptimeSeconds(header.TimeNs));
        row[P.Eid] = ColumnValue.Of(string.Empty);
        row[P.Status] = ColumnValue.Null;
        row[P.Fsuid] = ColumnValue.Of(header.Fsuid);
        row[P.Suid] = ColumnValue.Of(header.Suid);
        row[P.Fsgid] = ColumnValue.Of(header.Fsgid);
        row[P.Sgid] = ColumnValue.Of(header.Sgid);
        row[P.Syscall] = ColumnValue.Of(record.Kind == BpfEventKind.Execveat ? "execveat" : "execve");
        var eventMilliseconds = clock.UnixMilliseconds(header.TimeNs);
        P.Context.Write(row, context, in header, eventMilliseconds);
        context.LearnExec((int)header.Pid, path, cmdline, eventMilliseconds);
        row[P.ExeSha256] = ColumnValue.Of(string.Empty);
        return true;
    }
}
