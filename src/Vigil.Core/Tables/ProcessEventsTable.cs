using System.Buffers.Text;
using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Platform;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// osquery's process_events: one row per successful execve or execveat, and with osquery's flags per fork, vfork,
/// clone, clone3 (a new process, not a thread) and kill, tkill, tgkill. It differs from osquery where DESIGN.md says
/// so: the command line in real order with split arguments joined and decoded, cwd decoded, time from the kernel; it
/// adds hidden context columns (<see cref="ContextColumns"/>) and the executable's hash (<see cref="ExecutableHashes"/>).
/// A BSM trail's records are built by <see cref="BsmProcessEventsRows"/>.
/// </summary>
public sealed class ProcessEventsTable : IEventTable
{
    private static readonly TableColumns Columns = new();

    internal static readonly int Pid = Columns.Add("pid", ColumnType.BigInt, "Process (or thread) ID");
    internal static readonly int Path = Columns.Add("path", ColumnType.Text, "Path of executed file");
    internal static readonly int Mode = Columns.Add("mode", ColumnType.Text, "File mode permissions");
    internal static readonly int Cmdline = Columns.Add("cmdline", ColumnType.Text, "Command line arguments (argv)");
    internal static readonly int CmdlineSize = Columns.Add("cmdline_size", ColumnType.BigInt, "Actual size (bytes) of command line arguments", hidden: true);
    internal static readonly int Env = Columns.Add("env", ColumnType.Text, "Environment variables delimited by spaces", hidden: true);
    internal static readonly int EnvCount = Columns.Add("env_count", ColumnType.BigInt, "Number of environment variables", hidden: true);
    internal static readonly int EnvSize = Columns.Add("env_size", ColumnType.BigInt, "Actual size (bytes) of environment list", hidden: true);
    internal static readonly int Cwd = Columns.Add("cwd", ColumnType.Text, "The process current working directory");
    internal static readonly int Auid = Columns.Add("auid", ColumnType.BigInt, "Audit User ID at process start");
    internal static readonly int Uid = Columns.Add("uid", ColumnType.BigInt, "User ID at process start");
    internal static readonly int Euid = Columns.Add("euid", ColumnType.BigInt, "Effective user ID at process start");
    internal static readonly int Gid = Columns.Add("gid", ColumnType.BigInt, "Group ID at process start");
    internal static readonly int Egid = Columns.Add("egid", ColumnType.BigInt, "Effective group ID at process start");
    internal static readonly int OwnerUid = Columns.Add("owner_uid", ColumnType.BigInt, "File owner user ID");
    internal static readonly int OwnerGid = Columns.Add("owner_gid", ColumnType.BigInt, "File owner group ID");
    internal static readonly int Atime = Columns.Add("atime", ColumnType.BigInt, "File last access in UNIX time");
    internal static readonly int Mtime = Columns.Add("mtime", ColumnType.BigInt, "File modification in UNIX time");
    internal static readonly int Ctime = Columns.Add("ctime", ColumnType.BigInt, "File last metadata change in UNIX time");
    internal static readonly int Btime = Columns.Add("btime", ColumnType.BigInt, "File creation in UNIX time");
    internal static readonly int Overflows = Columns.Add("overflows", ColumnType.Text, "List of structures that overflowed", hidden: true);
    internal static readonly int Parent = Columns.Add("parent", ColumnType.BigInt, "Process parent's PID, or -1 if cannot be determined.");
    internal static readonly int Time = Columns.Add("time", ColumnType.BigInt, "Time of execution in UNIX time");
    internal static readonly int Uptime = Columns.Add("uptime", ColumnType.BigInt, "Time of execution in system uptime");
    internal static readonly int Eid = Columns.Add("eid", ColumnType.Text, "Event ID", hidden: true);

    // osquery declares it for Darwin only; here it is hidden, as the host tables keep other platforms' columns, and
    // filled from BSM trails alone.
    internal static readonly int Status = Columns.Add("status", ColumnType.BigInt, "OpenBSM Attribute: Status of the process", hidden: true);
    internal static readonly int Fsuid = Columns.Add("fsuid", ColumnType.BigInt, "Filesystem user ID at process start");
    internal static readonly int Suid = Columns.Add("suid", ColumnType.BigInt, "Saved user ID at process start");
    internal static readonly int Fsgid = Columns.Add("fsgid", ColumnType.BigInt, "Filesystem group ID at process start");
    internal static readonly int Sgid = Columns.Add("sgid", ColumnType.BigInt, "Saved group ID at process start");
    internal static readonly int Syscall = Columns.Add("syscall", ColumnType.Text, "Syscall name: fork, vfork, clone, execve, execveat");
    internal static readonly ContextColumns Context = new(Columns);
    internal static readonly int ExeSha256 = Columns.Add("exe_sha256", ColumnType.Text, "SHA-256 of the executable with --audit_hash_executables, '' when not hashed", hidden: true);

    /// <summary>specs/posix/process_events.table with its Darwin and Linux extensions, in osquery's order.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("process_events", "Track time/action process executions.", isEventTable: true);

    private static readonly string?[] PermissionTexts = new string?[0x1000];

    private readonly ProcessEventsOptions _options;
    private readonly ProcessContext _context;
    private readonly IUptimeSource _uptime;
    private readonly IFileTimes _fileTimes;
    private readonly BsmProcessEventsRows _bsm;
    private readonly RepeatedText _modes = new();

    /// <summary>Exec rows only, with a tree that knows what the events say (log files, benchmarks).</summary>
    public ProcessEventsTable()
        : this(new ProcessEventsOptions(), ProcessContext.ForLogFiles())
    {
    }

    public ProcessEventsTable(ProcessEventsOptions options, ProcessContext context)
        : this(options, context, BootTimeUptime.Instance, new RecentFileTimes(StatxFileTimes.Instance))
    {
    }

    public ProcessEventsTable(IUptimeSource uptime, IFileTimes fileTimes)
        : this(new ProcessEventsOptions(), ProcessContext.ForLogFiles(), uptime, fileTimes)
    {
    }

    public ProcessEventsTable(ProcessEventsOptions options, ProcessContext context, IUptimeSource uptime, IFileTimes fileTimes)
    {
        _options = options;
        _context = context;
        _uptime = uptime;
        _fileTimes = fileTimes;
        _bsm = new BsmProcessEventsRows(uptime);
    }

    private enum Kind
    {
        None,
        Exec,
        Fork,
        Kill,
    }

    public TableSpec Spec => Schema;

    public bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row)
    {
        if (auditEvent.FirstType == RecordType.Bsm)
        {
            return _bsm.TryBuildRow(auditEvent.GetBody(0), row);
        }

        // Other syscalls are turned away before the whole SYSCALL is read.
        if (!auditEvent.TryGetSyscall(out var arch, out var number) || !auditEvent.TryGetRecord(RecordType.Syscall, out var body))
        {
            return false;
        }

        var name = SyscallTable.GetName(arch, number);
        var kind = name switch
        {
            "execve" or "execveat" => Kind.Exec,
            "fork" or "vfork" or "clone" or "clone3" when _options.AllowFork => Kind.Fork,
            "kill" or "tkill" or "tgkill" when _options.AllowKill => Kind.Kill,
            _ => Kind.None,
        };
        if (kind == Kind.None)
        {
            _context.Learn(auditEvent, name);
            return false;
        }

        var syscall = SyscallFields.Read(body);
        _context.Learn(auditEvent, name, in syscall);
        if (!syscall.Success.SequenceEqual("yes"u8))
        {
            return false;
        }

        // osquery's pid and parent: the caller and its parent, but for a fork the child and its caller.
        SyscallFields.TryParseInt64(syscall.Pid, out var pid);
        SyscallFields.TryParseInt64(syscall.Ppid, out var ppid);
        row[Pid] = EventColumns.Integer(syscall.Pid);
        row[Parent] = EventColumns.Integer(syscall.Ppid);
        string path;
        switch (kind)
        {
            case Kind.Exec:
                path = _context.ExecPath;
                WriteExec(auditEvent, _context.ExecCommandLine, row);
                break;
            case Kind.Fork:
                if (!_context.TryGetCreated(name, in syscall, out var child, out ppid))
                {
                    return false;
                }

                pid = child;
                row[Pid] = ColumnValue.Of(child);
                row[Parent] = ColumnValue.Of(ppid);
                path = syscall.HasExe ? _context.Texts.Decode(syscall.Exe) : string.Empty;
                WriteUnsetByOsquery(row);
                row[OwnerUid] = ColumnValue.Of(0);
                row[OwnerGid] = ColumnValue.Of(0);
                break;
            default:
                path = syscall.HasExe ? _context.Texts.Decode(syscall.Exe) : string.Empty;
                WriteUnsetByOsquery(row);
                row[OwnerUid] = ColumnValue.Null;
                row[OwnerGid] = ColumnValue.Null;
                break;
        }

        row[Path] = ColumnValue.Of(path);
        row[Env] = ColumnValue.Of(string.Empty);
        row[EnvCount] = ColumnValue.Of(0);
        row[EnvSize] = ColumnValue.Of(0);
        row[Auid] = EventColumns.Integer(syscall.Auid);
        row[Uid] = EventColumns.Integer(syscall.Uid);
        row[Euid] = EventColumns.Integer(syscall.Euid);
        row[Gid] = EventColumns.Integer(syscall.Gid);
        row[Egid] = EventColumns.Integer(syscall.Egid);
        row[Fsuid] = EventColumns.Integer(syscall.Fsuid);
        row[Suid] = EventColumns.Integer(syscall.Suid);
        row[Fsgid] = EventColumns.Integer(syscall.Fsgid);
        row[Sgid] = EventColumns.Integer(syscall.Sgid);
        row[Syscall] = ColumnValue.Of(name);
        var stated = _fileTimes.TryGet(path, out var accessTime, out var modifyTime, out var changeTime, out var fileMode);
        if (kind != Kind.Exec)
        {
            // osquery gives the rows without a PATH record the executable's permission bits, as its lsperms writes them.
            row[Mode] = stated ? ColumnValue.Of(Permissions(fileMode)) : ColumnValue.Null;
        }

        row[Atime] = ColumnValue.Of(accessTime);
        row[Mtime] = ColumnValue.Of(modifyTime);
        row[Ctime] = ColumnValue.Of(changeTime);
        row[Btime] = ColumnValue.Of(0);
        row[Overflows] = ColumnValue.Of(string.Empty);
        row[Time] = ColumnValue.Of(auditEvent.Seconds);
        row[Uptime] = ColumnValue.Of(_uptime.GetUptimeSeconds());
        row[Eid] = ColumnValue.Of(string.Empty);
        row[Status] = ColumnValue.Null;
        row[ExeSha256] = _options.HashExecutables && kind == Kind.Exec && IsExecutedFile(auditEvent, path) ? ColumnValue.Null : ColumnValue.Of(string.Empty);
        Context.Write(row, _context, in syscall, pid, ppid, auditEvent.TimeMilliseconds);
        return true;
    }

    /// <summary>
    /// Whether the file at <paramref name="path"/> now is one the kernel opened for the exec (a PATH record has its
    /// device and inode): a process in a container or chroot names its executable from its own root, and the file of
    /// that name in Vigil's may be another one.
    /// </summary>
    private static bool IsExecutedFile(AuditEvent auditEvent, string path)
    {
        if (path.Length == 0 || !Libc.TryStat(path, out var stat))
        {
            return false;
        }

        for (var i = 0; i < auditEvent.RecordCount; i++)
        {
            if (auditEvent.GetRecordType(i) == RecordType.Path
                && AuditFields.TryGetInt64(auditEvent.GetBody(i), "inode"u8, out var inode) && (ulong)inode == stat.stx_ino
                && AuditFields.TryGet(auditEvent.GetBody(i), "dev"u8, out var device)
                && device.IndexOf((byte)':') is var colon and > 0
                && Utf8Parser.TryParse(device[..colon], out uint major, out var majorLength, 'x') && majorLength == colon
                && Utf8Parser.TryParse(device[(colon + 1)..], out uint minor, out var minorLength, 'x') && minorLength == device.Length - colon - 1
                && major == stat.stx_dev_major && minor == stat.stx_dev_minor)
            {
                return true;
            }
        }

        return false;
    }

    private void WriteExec(AuditEvent auditEvent, string cmdline, Span<ColumnValue> row)
    {
        row[Cmdline] = ColumnValue.Of(cmdline);
        row[CmdlineSize] = ColumnValue.Of(Encoding.UTF8.GetByteCount(cmdline));
        row[Cwd] = ColumnValue.Of(auditEvent.TryGetRecord(RecordType.Cwd, out var cwd) ? EventColumns.Decoded(cwd, "cwd"u8, _context.Texts) : string.Empty);

        // The first PATH record is the file execve opened (the script, for a #! interpreter); osquery takes
        // mode and owner from it. The mode is octal text, never decoded as hex.
        if (auditEvent.TryGetRecord(RecordType.Path, out var pathRecord))
        {
            WriteOwnerAndMode(pathRecord, row);
        }
        else
        {
            row[Mode] = ColumnValue.Null;
            row[OwnerUid] = ColumnValue.Null;
            row[OwnerGid] = ColumnValue.Null;
        }
    }

    // The three fields in one pass over the record (they lie together after its name, inode and device), the first of
    // each name as a look-up finds it; the mode, the same for most executables, as the string it was the row before.
    private void WriteOwnerAndMode(ReadOnlySpan<byte> pathRecord, Span<ColumnValue> row)
    {
        (row[Mode], row[OwnerUid], row[OwnerGid]) = (ColumnValue.Null, ColumnValue.Null, ColumnValue.Null);
        var (mode, ouid, ogid) = (false, false, false);
        var reader = new FieldReader(pathRecord);
        while (!(mode && ouid && ogid) && reader.TryReadNext())
        {
            if (!mode && reader.Key.SequenceEqual("mode"u8))
            {
                mode = true;
                row[Mode] = ColumnValue.Of(_modes.Of(reader.RawValue));
            }
            else if (!ouid && reader.Key.SequenceEqual("ouid"u8))
            {
                ouid = true;
                row[OwnerUid] = EventColumns.Integer(reader.RawValue);
            }
            else if (!ogid && reader.Key.SequenceEqual("ogid"u8))
            {
                ogid = true;
                row[OwnerGid] = EventColumns.Integer(reader.RawValue);
            }
        }
    }

    // osquery's fork and kill rows carry no command line or working directory.
    private static void WriteUnsetByOsquery(Span<ColumnValue> row)
    {
        row[Cmdline] = ColumnValue.Null;
        row[CmdlineSize] = ColumnValue.Null;
        row[Cwd] = ColumnValue.Null;
    }

    /// <summary>The set-id, sticky and permission bits as four octal digits (<c>0755</c>), one string per value.</summary>
    private static string Permissions(uint mode)
    {
        var bits = (int)(mode & 0xFFF);
        return PermissionTexts[bits] ??= Convert.ToString(bits, 8).PadLeft(4, '0');
    }
}
