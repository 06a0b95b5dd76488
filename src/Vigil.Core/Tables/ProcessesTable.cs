using System.Globalization;
using System.Text;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// osquery's processes table from /proc, with osquery's Linux semantics: resident_size from VmRSS,
/// total_size from VmSize, wired_size 0, times in milliseconds, start_time in seconds since the epoch.
/// A process that exits while it is read is left out.
/// </summary>
public sealed class ProcessesTable : ILiveTable
{
    private const string DeletedSuffix = " (deleted)";

    private static readonly TableColumns Columns = new();

    private static readonly int Pid = Columns.Add("pid", ColumnType.BigInt, "Process (or thread) ID", indexed: true);
    private static readonly int Name = Columns.Add("name", ColumnType.Text, "The process path or shorthand argv[0]");
    private static readonly int Path = Columns.Add("path", ColumnType.Text, "Path to executed binary");
    private static readonly int Cmdline = Columns.Add("cmdline", ColumnType.Text, "Complete argv");
    private static readonly int State = Columns.Add("state", ColumnType.Text, "Process state");
    private static readonly int Cwd = Columns.Add("cwd", ColumnType.Text, "Process current working directory");
    private static readonly int Root = Columns.Add("root", ColumnType.Text, "Process virtual root directory");
    private static readonly int Uid = Columns.Add("uid", ColumnType.BigInt, "Unsigned user ID");
    private static readonly int Gid = Columns.Add("gid", ColumnType.BigInt, "Unsigned group ID");
    private static readonly int Euid = Columns.Add("euid", ColumnType.BigInt, "Unsigned effective user ID");
    private static readonly int Egid = Columns.Add("egid", ColumnType.BigInt, "Unsigned effective group ID");
    private static readonly int Suid = Columns.Add("suid", ColumnType.BigInt, "Unsigned saved user ID");
    private static readonly int Sgid = Columns.Add("sgid", ColumnType.BigInt, "Unsigned saved group ID");
    private static readonly int OnDisk = Columns.Add("on_disk", ColumnType.Integer, "The process path exists yes=1, no=0, unknown=-1");
    private static readonly int WiredSize = Columns.Add("wired_size", ColumnType.BigInt, "Bytes of unpageable memory used by process");
    private static readonly int ResidentSize = Columns.Add("resident_size", ColumnType.BigInt, "Bytes of private memory used by process");
    private static readonly int TotalSize = Columns.Add("total_size", ColumnType.BigInt, "Total virtual memory size (Linux, Windows) or 'footprint' (macOS)");
    private static readonly int UserTime = Columns.Add("user_time", ColumnType.BigInt, "CPU time in milliseconds spent in user space");
    private static readonly int SystemTime = Columns.Add("system_time", ColumnType.BigInt, "CPU time in milliseconds spent in kernel space");
    private static readonly int DiskBytesRead = Columns.Add("disk_bytes_read", ColumnType.BigInt, "Bytes read from disk");
    private static readonly int DiskBytesWritten = Columns.Add("disk_bytes_written", ColumnType.BigInt, "Bytes written to disk");
    private static readonly int StartTime = Columns.Add("start_time", ColumnType.BigInt, "Process start time in seconds since Epoch, in case of error -1");
    private static readonly int Parent = Columns.Add("parent", ColumnType.BigInt, "Process parent's PID");
    private static readonly int Pgroup = Columns.Add("pgroup", ColumnType.BigInt, "Process group");
    private static readonly int Threads = Columns.Add("threads", ColumnType.Integer, "Number of threads used by process");
    private static readonly int Nice = Columns.Add("nice", ColumnType.Integer, "Process nice level (-20 to 20, default 0)");
    private static readonly int CgroupPath = Columns.Add("cgroup_path", ColumnType.Text, "The full hierarchical path of the process's control group");

    /// <summary>specs/processes.table with its Linux extension, in osquery's order.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("processes", "All running processes on the host system.", isEventTable: false);

    private readonly long _ticksPerSecond = ProcProcesses.TicksPerSecond;

    public TableSpec Spec => Schema;

    public IEnumerable<ColumnValue[]> Generate()
    {
        var bootTime = ReadBootTime();
        foreach (var pid in ProcProcesses.Instance.Pids())
        {
            if (TryRead(pid, bootTime, out var row))
            {
                yield return row;
            }
        }
    }

    /// <summary>The row of one process (for <c>WHERE pid = …</c>); false when it does not exist or just exited.</summary>
    public bool TryGet(int pid, out ColumnValue[] row) => TryRead(pid, ReadBootTime(), out row);

    private bool TryRead(int pid, long bootTime, out ColumnValue[] row)
    {
        row = new ColumnValue[Schema.Columns.Count];
        var directory = "/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/";

        // stat is readable for every process that exists; without it the process is gone.
        var stat = HostFacts.ReadText(directory + "stat");
        var close = stat?.LastIndexOf(')') ?? -1;
        if (stat is null || close < 0)
        {
            return false;
        }

        var fields = stat[(close + 1)..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length <= 19)
        {
            return false;
        }

        row[Pid] = ColumnValue.Of(pid);
        row[State] = ColumnValue.Of(fields[0]);
        row[Parent] = Number(fields[1]);
        row[Pgroup] = Number(fields[2]);
        row[UserTime] = Milliseconds(fields[11]);
        row[SystemTime] = Milliseconds(fields[12]);
        row[Nice] = Number(fields[16]);
        row[Threads] = Number(fields[17]);
        row[StartTime] = bootTime > 0 && long.TryParse(fields[19], CultureInfo.InvariantCulture, out var started)
            ? ColumnValue.Of(bootTime + (started / _ticksPerSecond))
            : ColumnValue.Of(-1);

        ReadStatus(directory, row);
        ReadIo(directory, row);

        var path = HostFacts.ReadLink(directory + "exe");
        row[OnDisk] = ColumnValue.Of(OnDiskState(ref path));
        row[Path] = ColumnValue.Of(path);
        row[Cmdline] = ColumnValue.Of(ReadCommandLine(directory + "cmdline"));
        row[Cwd] = ColumnValue.Of(HostFacts.ReadLink(directory + "cwd"));
        row[Root] = ColumnValue.Of(HostFacts.ReadLink(directory + "root"));
        row[WiredSize] = ColumnValue.Of(0);
        row[CgroupPath] = ColumnValue.Of(CgroupOf(HostFacts.ReadText(directory + "cgroup")));
        return true;
    }

    private static void ReadStatus(string directory, ColumnValue[] row)
    {
        foreach (var column in (ReadOnlySpan<int>)[Name, Uid, Euid, Suid, Gid, Egid, Sgid, ResidentSize, TotalSize])
        {
            row[column] = ColumnValue.Null;
        }

        var status = HostFacts.ReadText(directory + "status");
        if (status is null)
        {
            return;
        }

        foreach (var line in status.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0)
            {
                continue;
            }

            var value = line.AsSpan(colon + 1).Trim();
            switch (line.AsSpan(0, colon))
            {
                case "Name":
                    row[Name] = ColumnValue.Of(value.ToString());
                    break;
                case "Uid":
                    ReadIds(value, row, Uid, Euid, Suid);
                    break;
                case "Gid":
                    ReadIds(value, row, Gid, Egid, Sgid);
                    break;
                case "VmRSS":
                    row[ResidentSize] = Kilobytes(value);
                    break;
                case "VmSize":
                    row[TotalSize] = Kilobytes(value);
                    break;
            }
        }
    }

    /// <summary>Real, effective and saved ids from a <c>Uid:</c> or <c>Gid:</c> line (real, effective, saved, fs).</summary>
    private static void ReadIds(ReadOnlySpan<char> value, ColumnValue[] row, int real, int effective, int saved)
    {
        Span<Range> parts = stackalloc Range[5];
        var count = value.SplitAny(parts, " \t", StringSplitOptions.RemoveEmptyEntries);
        if (count >= 3)
        {
            row[real] = Number(value[parts[0]]);
            row[effective] = Number(value[parts[1]]);
            row[saved] = Number(value[parts[2]]);
        }
    }

    /// <summary>Bytes read and written from /proc/pid/io (root only for other users' processes); writes cancelled by truncation are subtracted.</summary>
    private static void ReadIo(string directory, ColumnValue[] row)
    {
        row[DiskBytesRead] = ColumnValue.Null;
        row[DiskBytesWritten] = ColumnValue.Null;
        var io = HostFacts.ReadText(directory + "io");
        if (io is null)
        {
            return;
        }

        long read = 0, written = 0, cancelled = 0;
        foreach (var line in io.Split('\n'))
        {
            var colon = line.IndexOf(':');
            if (colon < 0 || !long.TryParse(line.AsSpan(colon + 1).Trim(), CultureInfo.InvariantCulture, out var value))
            {
                continue;
            }

            switch (line.AsSpan(0, colon))
            {
                case "read_bytes":
                    read = value;
                    break;
                case "write_bytes":
                    written = value;
                    break;
                case "cancelled_write_bytes":
                    cancelled = value;
                    break;
            }
        }

        row[DiskBytesRead] = ColumnValue.Of(read);
        row[DiskBytesWritten] = ColumnValue.Of(written - cancelled);
    }

    /// <summary>
    /// 1 when the executable exists, 0 when it was deleted (the " (deleted)" suffix is then removed from the
    /// path), -1 when the path is unknown (kernel threads, or not readable).
    /// </summary>
    private static int OnDiskState(ref string path)
    {
        if (path.Length == 0)
        {
            return -1;
        }

        if (path.EndsWith(DeletedSuffix, StringComparison.Ordinal) && !File.Exists(path))
        {
            path = path[..^DeletedSuffix.Length];
            return 0;
        }

        return File.Exists(path) ? 1 : 0;
    }

    /// <summary>The arguments, NUL-separated in /proc, joined with spaces.</summary>
    internal static string ReadCommandLine(string file)
    {
        byte[] bytes;
        try
        {
            bytes = File.ReadAllBytes(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }

        var text = Encoding.UTF8.GetString(bytes).TrimEnd('\0');
        return text.Replace('\0', ' ');
    }

    /// <summary>The path of the first line of /proc/pid/cgroup: <c>0::/path</c> (v2) or <c>N:controllers:/path</c> (v1).</summary>
    private static string CgroupOf(string? cgroup)
    {
        if (cgroup is null)
        {
            return string.Empty;
        }

        var line = cgroup.AsSpan();
        var newline = line.IndexOf('\n');
        if (newline >= 0)
        {
            line = line[..newline];
        }

        var first = line.IndexOf(':');
        var second = first < 0 ? -1 : line[(first + 1)..].IndexOf(':');
        return second < 0 ? string.Empty : line[(first + second + 2)..].ToString();
    }

    /// <summary>The <c>btime</c> line of /proc/stat: boot time in seconds since the epoch, 0 when unknown.</summary>
    private static long ReadBootTime()
    {
        foreach (var line in (HostFacts.ReadText("/proc/stat") ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(6), CultureInfo.InvariantCulture, out var bootTime))
            {
                return bootTime;
            }
        }

        return 0;
    }

    private static ColumnValue Number(ReadOnlySpan<char> text) =>
        long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var value) ? ColumnValue.Of(value) : ColumnValue.Null;

    private ColumnValue Milliseconds(string ticksText) =>
        long.TryParse(ticksText, CultureInfo.InvariantCulture, out var ticks) ? ColumnValue.Of(ticks * 1000 / _ticksPerSecond) : ColumnValue.Null;

    /// <summary>A <c>1234 kB</c> status value in bytes.</summary>
    private static ColumnValue Kilobytes(ReadOnlySpan<char> value)
    {
        var space = value.IndexOf(' ');
        return long.TryParse(space < 0 ? value : value[..space], CultureInfo.InvariantCulture, out var kilobytes)
            ? ColumnValue.Of(kilobytes * 1024)
            : ColumnValue.Null;
    }
}
