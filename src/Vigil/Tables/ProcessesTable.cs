using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Vigil.Tables;

/// <summary>
/// osquery's processes table from /proc, with osquery's Linux semantics: resident_size from VmRSS,
/// total_size from VmSize, wired_size 0, times in milliseconds, start_time in seconds since the epoch.
/// A process that exits while it is read is left out.
/// </summary>
public sealed partial class ProcessesTable : ILiveTable
{
    private const string DeletedSuffix = " (deleted)";

    /// <summary>_SC_CLK_TCK (bits/confname.h).</summary>
    private const int ScClkTck = 2;

    private const int Pid = 0;
    private const int Name = 1;
    private const int Path = 2;
    private const int Cmdline = 3;
    private const int State = 4;
    private const int Cwd = 5;
    private const int Root = 6;
    private const int Uid = 7;
    private const int Gid = 8;
    private const int Euid = 9;
    private const int Egid = 10;
    private const int Suid = 11;
    private const int Sgid = 12;
    private const int OnDisk = 13;
    private const int WiredSize = 14;
    private const int ResidentSize = 15;
    private const int TotalSize = 16;
    private const int UserTime = 17;
    private const int SystemTime = 18;
    private const int DiskBytesRead = 19;
    private const int DiskBytesWritten = 20;
    private const int StartTime = 21;
    private const int Parent = 22;
    private const int Pgroup = 23;
    private const int Threads = 24;
    private const int Nice = 25;
    private const int CgroupPath = 26;

    /// <summary>specs/processes.table with its Linux extension, in osquery's order.</summary>
    public static TableSpec Schema { get; } = new(
        "processes",
        "All running processes on the host system.",
        isEventTable: false,
        [
            new("pid", ColumnType.BigInt, "Process (or thread) ID", Indexed: true),
            new("name", ColumnType.Text, "The process path or shorthand argv[0]"),
            new("path", ColumnType.Text, "Path to executed binary"),
            new("cmdline", ColumnType.Text, "Complete argv"),
            new("state", ColumnType.Text, "Process state"),
            new("cwd", ColumnType.Text, "Process current working directory"),
            new("root", ColumnType.Text, "Process virtual root directory"),
            new("uid", ColumnType.BigInt, "Unsigned user ID"),
            new("gid", ColumnType.BigInt, "Unsigned group ID"),
            new("euid", ColumnType.BigInt, "Unsigned effective user ID"),
            new("egid", ColumnType.BigInt, "Unsigned effective group ID"),
            new("suid", ColumnType.BigInt, "Unsigned saved user ID"),
            new("sgid", ColumnType.BigInt, "Unsigned saved group ID"),
            new("on_disk", ColumnType.Integer, "The process path exists yes=1, no=0, unknown=-1"),
            new("wired_size", ColumnType.BigInt, "Bytes of unpageable memory used by process"),
            new("resident_size", ColumnType.BigInt, "Bytes of private memory used by process"),
            new("total_size", ColumnType.BigInt, "Total virtual memory size (Linux, Windows) or 'footprint' (macOS)"),
            new("user_time", ColumnType.BigInt, "CPU time in milliseconds spent in user space"),
            new("system_time", ColumnType.BigInt, "CPU time in milliseconds spent in kernel space"),
            new("disk_bytes_read", ColumnType.BigInt, "Bytes read from disk"),
            new("disk_bytes_written", ColumnType.BigInt, "Bytes written to disk"),
            new("start_time", ColumnType.BigInt, "Process start time in seconds since Epoch, in case of error -1"),
            new("parent", ColumnType.BigInt, "Process parent's PID"),
            new("pgroup", ColumnType.BigInt, "Process group"),
            new("threads", ColumnType.Integer, "Number of threads used by process"),
            new("nice", ColumnType.Integer, "Process nice level (-20 to 20, default 0)"),
            new("cgroup_path", ColumnType.Text, "The full hierarchical path of the process's control group"),
        ]);

    private readonly long _ticksPerSecond = Math.Max(1, (long)sysconf(ScClkTck));

    public TableSpec Spec => Schema;

    public IEnumerable<ColumnValue[]> Generate()
    {
        var bootTime = ReadBootTime();
        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(System.IO.Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && TryRead(pid, bootTime, out var row))
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
        var stat = ReadText(directory + "stat");
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

        var path = ReadLink(directory + "exe");
        row[OnDisk] = ColumnValue.Of(OnDiskState(ref path));
        row[Path] = ColumnValue.Of(path);
        row[Cmdline] = ColumnValue.Of(ReadCommandLine(directory + "cmdline"));
        row[Cwd] = ColumnValue.Of(ReadLink(directory + "cwd"));
        row[Root] = ColumnValue.Of(ReadLink(directory + "root"));
        row[WiredSize] = ColumnValue.Of(0);
        row[CgroupPath] = ColumnValue.Of(CgroupOf(ReadText(directory + "cgroup")));
        return true;
    }

    private static void ReadStatus(string directory, ColumnValue[] row)
    {
        foreach (var column in (ReadOnlySpan<int>)[Name, Uid, Euid, Suid, Gid, Egid, Sgid, ResidentSize, TotalSize])
        {
            row[column] = ColumnValue.Null;
        }

        var status = ReadText(directory + "status");
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
        var io = ReadText(directory + "io");
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
    private static string ReadCommandLine(string file)
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
        foreach (var line in (ReadText("/proc/stat") ?? string.Empty).Split('\n'))
        {
            if (line.StartsWith("btime ", StringComparison.Ordinal)
                && long.TryParse(line.AsSpan(6), CultureInfo.InvariantCulture, out var bootTime))
            {
                return bootTime;
            }
        }

        return 0;
    }

    private static string? ReadText(string file)
    {
        try
        {
            return File.ReadAllText(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ReadLink(string link)
    {
        try
        {
            return new FileInfo(link).LinkTarget ?? string.Empty;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty;
        }
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

    [LibraryImport("libc")]
    private static partial nint sysconf(int name);
}
