using Vigil.Bpf;

namespace Vigil.Tables;

/// <summary>
/// osquery's bpf_process_events (specs/linux/bpf_process_events.table, reference/osquery.md §10): one row per
/// successful exec, with syscall <c>exec</c> as osquery wrote it, and, as a Vigil addition, one row per process
/// exit, with syscall <c>exit</c> and its exit status.
/// </summary>
public sealed class BpfProcessEventsTable : IBpfEventTable
{
    private const int ExitCode = 6;
    private const int Syscall = 8;
    private const int Cwd = 10;
    private const int Cmdline = 11;
    private const int Duration = 12;
    private const int JsonCmdline = 13;
    private const int Ntime = 14;
    private const int Time = 15;
    private const int Eid = 16;

    /// <summary>specs/linux/bpf_process_events.table, in osquery's order.</summary>
    public static TableSpec Schema { get; } = new(
        "bpf_process_events",
        "Track time/action process executions.",
        isEventTable: true,
        [
            .. BpfColumns.Leading,
            new("exit_code", ColumnType.Text, "Exit code of the system call (for syscall exit: the exit status, or minus the signal that ended the process)"),
            new("probe_error", ColumnType.Integer, "Set to 1 if one or more buffers could not be captured"),
            new("syscall", ColumnType.Text, "System call name"),
            new("path", ColumnType.Text, "Binary path"),
            new("cwd", ColumnType.Text, "Current working directory"),
            new("cmdline", ColumnType.Text, "Command line arguments"),
            new("duration", ColumnType.Integer, "How much time was spent inside the syscall (nsecs)"),
            new("json_cmdline", ColumnType.Text, "Command line arguments, in JSON format", Hidden: true),
            new("ntime", ColumnType.Text, "The nsecs uptime timestamp as obtained from BPF"),
            new("time", ColumnType.BigInt, "Time of execution in UNIX time", Hidden: true),
            new("eid", ColumnType.Integer, "Event ID", Hidden: true),
        ]);

    public TableSpec Spec => Schema;

    public bool TryBuildRow(in BpfRecord record, BpfClock clock, Span<ColumnValue> row)
    {
        ref readonly var header = ref record.Header;
        if (record.IsExec)
        {
            var argv = record.Argv;
            row[ExitCode] = ColumnValue.Of(BpfColumns.Decimal(header.Ret));
            row[Syscall] = ColumnValue.Of("exec");
            row[Cwd] = ColumnValue.Of(BpfColumns.Text(record.Cwd));
            row[Cmdline] = ColumnValue.Of(BpfColumns.QuotedCommandLine(argv));
            row[JsonCmdline] = ColumnValue.Of(BpfColumns.JsonCommandLine(argv));
        }
        else if (record.Kind == BpfEventKind.Exit)
        {
            row[ExitCode] = ColumnValue.Of(BpfColumns.Decimal(ExitStatus(header.Ret)));
            row[Syscall] = ColumnValue.Of("exit");
            row[Cwd] = ColumnValue.Of(string.Empty);
            row[Cmdline] = ColumnValue.Of(string.Empty);
            row[JsonCmdline] = ColumnValue.Of("[]");
        }
        else
        {
            return false;
        }

        BpfColumns.Common(in record, clock, row, Duration, Ntime, Time, Eid);
        return true;
    }

    /// <summary>A wait(2) status as a shell shows it: the exit code, or minus the signal that ended the process.</summary>
    public static long ExitStatus(long waitStatus) =>
        (waitStatus & 0x7f) == 0 ? (waitStatus >> 8) & 0xff : -(waitStatus & 0x7f);
}
