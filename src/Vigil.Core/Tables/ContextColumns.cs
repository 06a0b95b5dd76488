using Vigil.Bpf;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// The hidden columns process_events and socket_events add after osquery's, declared once here: who started the
/// process, in which login session, terminal, cgroup and container. Hidden, so <c>SELECT *</c> and osquery-shaped
/// logs stay as osquery's.
/// </summary>
internal readonly struct ContextColumns
{
    // What audit's SYSCALL record says for a process without a controlling terminal.
    private static ReadOnlySpan<byte> NoTty => "(none)"u8;

    private readonly int _parentPath;
    private readonly int _parentCmdline;
    private readonly int _sessionId;
    private readonly int _tty;
    private readonly int _cgroup;
    private readonly int _containerId;

    /// <summary>Declares the columns as the next ones of <paramref name="columns"/>.</summary>
    public ContextColumns(TableColumns columns)
    {
        _parentPath = columns.Add("parent_path", ColumnType.Text, "Executable of the parent process at the time of the event, '' when unknown", hidden: true);
        _parentCmdline = columns.Add("parent_cmdline", ColumnType.Text, "Command line of the parent process at the time of the event, '' when unknown", hidden: true);
        _sessionId = columns.Add("session_id", ColumnType.BigInt, "Audit login session ID (ses; 4294967295 when unset)", hidden: true);
        _tty = columns.Add("tty", ColumnType.Text, "Controlling terminal as audit names it (pts0, or (none))", hidden: true);
        _cgroup = columns.Add("cgroup", ColumnType.Text, "The process's cgroup path (v2, or the v1 hierarchy that names containers)", hidden: true);
        _containerId = columns.Add("container_id", ColumnType.Text, "Docker, containerd, CRI-O or Podman container ID, '' outside containers", hidden: true);
    }

    /// <summary>Fills the columns for an event of <paramref name="pid"/>, child of <paramref name="ppid"/>, whose SYSCALL is <paramref name="syscall"/>.</summary>
    public void Write(Span<ColumnValue> row, ProcessContext context, in SyscallFields syscall, long pid, long ppid, long eventMilliseconds)
    {
        context.Describe((int)pid, ppid, eventMilliseconds, out var parentPath, out var parentCommandLine, out var cgroup, out var containerId);
        row[_parentPath] = ColumnValue.Of(parentPath);
        row[_parentCmdline] = ColumnValue.Of(parentCommandLine);
        row[_sessionId] = EventColumns.Integer(syscall.Ses);
        row[_tty] = ColumnValue.Of(context.Tty(syscall.Tty));
        row[_cgroup] = ColumnValue.Of(cgroup);
        row[_containerId] = ColumnValue.Of(containerId);
    }

    /// <summary>
    /// Fills the columns for a BPF record: the parent as for audit, the session and terminal the programs read from the
    /// task, the cgroup and container from the cgroup id they read (<see cref="CgroupIds"/>). Read from /proc as audit's
    /// rows read it, the cgroup had added about a fifth to the BPF source's CPU at the stress generator's maximum rate,
    /// most of it for processes already gone.
    /// </summary>
    public void Write(Span<ColumnValue> row, ProcessContext context, in BpfHeader header, long eventMilliseconds)
    {
        context.DescribeParent(header.Ppid, eventMilliseconds, out var parentPath, out var parentCommandLine);
        context.DescribeCgroup(header.CgroupId, out var cgroup, out var containerId);
        row[_parentPath] = ColumnValue.Of(parentPath);
        row[_parentCmdline] = ColumnValue.Of(parentCommandLine);
        row[_sessionId] = ColumnValue.Of(header.SessionId);
        row[_tty] = ColumnValue.Of(context.Tty(header.Tty.IsEmpty ? NoTty : header.Tty));
        row[_cgroup] = ColumnValue.Of(cgroup);
        row[_containerId] = ColumnValue.Of(containerId);
    }

    /// <summary>Fills the columns of a source that does not know them (BSM records): '' and NULL.</summary>
    public void WriteUnknown(Span<ColumnValue> row)
    {
        row[_parentPath] = ColumnValue.Of(string.Empty);
        row[_parentCmdline] = ColumnValue.Of(string.Empty);
        row[_sessionId] = ColumnValue.Null;
        row[_tty] = ColumnValue.Of(string.Empty);
        row[_cgroup] = ColumnValue.Of(string.Empty);
        row[_containerId] = ColumnValue.Of(string.Empty);
    }
}
