using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;
using Vigil.Rules;

namespace Vigil.Tables;

/// <summary>
/// osquery's process_file_events: which process opened, wrote, read, truncated, closed, linked, renamed or deleted which
/// file under the config's <c>file_paths</c>. The path syscalls come from <c>-F dir=</c> rules, so the kernel reports
/// only what happens under the watched directories; the paths in their PATH records are resolved against the CWD record
/// or the <c>*at()</c> call's directory descriptor. The descriptor calls (write, read, close…) carry only a number,
/// which <see cref="OpenFiles"/> maps to the path it was opened as.
/// </summary>
public sealed class ProcessFileEventsTable : IEventTable
{
    /// <summary>AT_FDCWD as the SYSCALL record prints a 32-bit -100 (include/uapi/linux/fcntl.h).</summary>
    private const ulong AtFdcwd = 0xffffff9c;

    // include/uapi/asm-generic/fcntl.h and linux/fcntl.h.
    private const ulong OAccessMode = 0x3;
    private const ulong OCreat = 0x40;
    private const ulong OTrunc = 0x200;
    private const ulong ODirectory = 0x10000;
    private const ulong OCloexec = 0x80000;
    private const ulong AtRemovedir = 0x200;

    // CLOSE_RANGE_CLOEXEC (include/uapi/linux/close_range.h): mark the range close-on-exec instead of closing it.
    private const ulong CloseRangeCloexec = 4;

    private static readonly TableColumns Columns = new();

    internal static readonly int Operation = Columns.Add("operation", ColumnType.Text, "Operation type");
    internal static readonly int Pid = Columns.Add("pid", ColumnType.BigInt, "Process ID");
    internal static readonly int Ppid = Columns.Add("ppid", ColumnType.BigInt, "Parent process ID");
    internal static readonly int Time = Columns.Add("time", ColumnType.BigInt, "Time of execution in UNIX time");
    internal static readonly int Executable = Columns.Add("executable", ColumnType.Text, "The executable path");
    internal static readonly int Partial = Columns.Add("partial", ColumnType.Text, "True if this is a partial event (i.e.: this process existed before we started osquery)");
    internal static readonly int Cwd = Columns.Add("cwd", ColumnType.Text, "The current working directory of the process");
    internal static readonly int Path = Columns.Add("path", ColumnType.Text, "The path associated with the event");
    internal static readonly int DestPath = Columns.Add("dest_path", ColumnType.Text, "The canonical path associated with the event");
    internal static readonly int Uid = Columns.Add("uid", ColumnType.Text, "The uid of the process performing the action");
    internal static readonly int Gid = Columns.Add("gid", ColumnType.Text, "The gid of the process performing the action");
    internal static readonly int Auid = Columns.Add("auid", ColumnType.Text, "Audit user ID of the process using the file");
    internal static readonly int Euid = Columns.Add("euid", ColumnType.Text, "Effective user ID of the process using the file");
    internal static readonly int Egid = Columns.Add("egid", ColumnType.Text, "Effective group ID of the process using the file");
    internal static readonly int Fsuid = Columns.Add("fsuid", ColumnType.Text, "Filesystem user ID of the process using the file");
    internal static readonly int Fsgid = Columns.Add("fsgid", ColumnType.Text, "Filesystem group ID of the process using the file");
    internal static readonly int Suid = Columns.Add("suid", ColumnType.Text, "Saved user ID of the process using the file");
    internal static readonly int Sgid = Columns.Add("sgid", ColumnType.Text, "Saved group ID of the process using the file");
    internal static readonly int Uptime = Columns.Add("uptime", ColumnType.BigInt, "Time of execution in system uptime");
    internal static readonly int Eid = Columns.Add("eid", ColumnType.Text, "Event ID", hidden: true);

    /// <summary>specs/linux/process_file_events.table, in osquery's order.</summary>
    public static TableSpec Schema { get; } = Columns.Spec("process_file_events", "A File Integrity Monitor implementation using the audit service.", isEventTable: true);

    private readonly ProcessFileEventsOptions _options;
    private readonly OpenFiles _files;
    private readonly IUptimeSource _uptime;

    public ProcessFileEventsTable(ProcessFileEventsOptions options, OpenFiles files, IUptimeSource uptime)
    {
        _options = options;
        _files = files;
        _uptime = uptime;
    }

    public TableSpec Spec => Schema;

    public bool TryBuildRow(AuditEvent auditEvent, Span<ColumnValue> row)
    {
        var patterns = _options.Patterns;
        if (patterns.IsEmpty || !auditEvent.TryGetRecord(RecordType.Syscall, out var body))
        {
            return false;
        }

        var syscall = SyscallFields.Read(body);
        if (!auditEvent.TryGetSyscall(out var arch, out var number)
            || !syscall.Success.SequenceEqual("yes"u8)
            || !SyscallFields.TryParseInt64(syscall.Pid, out var pid))
        {
            return false;
        }

        var name = SyscallTable.GetName(arch, number);
        var kind = KindOf(name);
        if (kind == Kind.None)
        {
            return false;
        }

        SyscallFields.TryParseInt64(syscall.Ppid, out var ppid);
        SyscallFields.TryParseInt64(syscall.Exit, out var exit);
        // Only the path calls, which the kernel reports for the watched directories alone, make a process known; a
        // descriptor call of an unknown process is still looked up in /proc for a partial row.
        var pathCall = kind is Kind.Open or Kind.Truncate or Kind.Link or Kind.Symlink or Kind.Rename or Kind.Unlink or Kind.Mkdir;
        var process = _files.Get((int)pid, (int)ppid, auditEvent.TimeMilliseconds, create: pathCall || (_options.ShowPartial && kind is Kind.Write or Kind.Read or Kind.Ftruncate));
        if (process is null)
        {
            return false;
        }

        if (auditEvent.TryGetRecord(RecordType.Cwd, out var cwdBody) && AuditFields.TryGet(cwdBody, "cwd"u8, out var cwd))
        {
            process.Cwd = AuditValue.DecodeText(cwd);
        }

        var call = new Call(auditEvent, process, _files, (int)pid, syscall);
        string? operation;
        string? path;
        var destination = string.Empty;
        var partial = false;
        switch (kind)
        {
            case Kind.Open:
                operation = Open(in call, name!, (int)exit, patterns, out path);
                break;
            case Kind.Truncate:
                (operation, path) = ("truncate", call.Resolve("NORMAL"u8, last: false, AtFdcwd));
                break;
            case Kind.Link:
                operation = "link";
                path = call.Resolve("NORMAL"u8, last: false, name == "linkat" ? call.A0 : AtFdcwd);
                destination = call.Resolve("CREATE"u8, last: true, name == "linkat" ? call.A2 : AtFdcwd) ?? string.Empty;
                break;
            case Kind.Symlink:
                operation = "symlink";
                destination = call.Resolve("CREATE"u8, last: true, name == "symlinkat" ? call.A1 : AtFdcwd) ?? string.Empty;
                path = SymlinkTarget(in call, destination);
                break;
            case Kind.Rename:
                operation = "rename";
                path = call.Resolve("DELETE"u8, last: false, name == "rename" ? AtFdcwd : call.A0);
                destination = call.Resolve("CREATE"u8, last: true, name == "rename" ? AtFdcwd : call.A2) ?? string.Empty;
                if (path is not null && destination.Length > 0)
                {
                    _files.Renamed(path, destination, patterns);
                }

                break;
            case Kind.Unlink:
                var removesDirectory = name == "rmdir" || (name == "unlinkat" && (call.A2 & AtRemovedir) != 0);
                operation = !removesDirectory ? "unlink" : _options.ShowDirectories ? "rmdir" : null;
                path = call.Resolve("DELETE"u8, last: false, name == "unlinkat" ? call.A0 : AtFdcwd);
                break;
            case Kind.Mkdir:
                operation = _options.ShowDirectories ? "mkdir" : null;
                path = call.Resolve("CREATE"u8, last: true, name == "mkdirat" ? call.A0 : AtFdcwd);
                break;
            case Kind.Exec:
                process.CloseOnExec();
                return false;
            case Kind.Dup:
                // fcntl copies a descriptor only with F_DUPFD or F_DUPFD_CLOEXEC (the only commands its rules audit).
                var fcntl = name is "fcntl" or "fcntl64";
                if (fcntl && call.A1 is not (FcntlCommand.DupFd or FcntlCommand.DupFdCloexec))
                {
                    return false;
                }

                var copyCloses = fcntl ? call.A1 == FcntlCommand.DupFdCloexec : name == "dup3" && (call.A2 & OCloexec) != 0;
                Dup(process, (int)call.A0, (int)exit, copyCloses);
                return false;
            case Kind.CloseRange:
                process.CloseRange((uint)call.A0, (uint)call.A1, (call.A2 & CloseRangeCloexec) != 0);
                return false;
            default:
                operation = Descriptor(kind, process, (int)pid, (int)call.A0, patterns, out path, out partial);
                break;
        }

        if (operation is null || path is null || !(patterns.IsWatched(path) || (destination.Length > 0 && patterns.IsWatched(destination))))
        {
            return false;
        }

        row[Operation] = ColumnValue.Of(operation);
        row[Pid] = ColumnValue.Of(pid);
        row[Ppid] = ColumnValue.Of(ppid);
        row[Time] = ColumnValue.Of(auditEvent.Seconds);
        row[Executable] = ColumnValue.Of(syscall.HasExe ? AuditValue.DecodeText(syscall.Exe) : string.Empty);
        row[Partial] = ColumnValue.Of(partial ? "true" : "false");
        row[Cwd] = ColumnValue.Of(process.Cwd);
        row[Path] = ColumnValue.Of(path);
        row[DestPath] = ColumnValue.Of(destination);
        row[Uid] = Id(syscall.Uid);
        row[Gid] = Id(syscall.Gid);
        row[Auid] = Id(syscall.Auid);
        row[Euid] = Id(syscall.Euid);
        row[Egid] = Id(syscall.Egid);
        row[Fsuid] = Id(syscall.Fsuid);
        row[Fsgid] = Id(syscall.Fsgid);
        row[Suid] = Id(syscall.Suid);
        row[Sgid] = Id(syscall.Sgid);
        row[Uptime] = ColumnValue.Of(_uptime.GetUptimeSeconds());
        row[Eid] = ColumnValue.Of(string.Empty);
        return true;
    }

    private static Kind KindOf(string? name) => name switch
    {
        "open" or "openat" or "openat2" or "creat" => Kind.Open,
        "truncate" => Kind.Truncate,
        "link" or "linkat" => Kind.Link,
        "symlink" or "symlinkat" => Kind.Symlink,
        "rename" or "renameat" or "renameat2" => Kind.Rename,
        "unlink" or "unlinkat" or "rmdir" => Kind.Unlink,
        "mkdir" or "mkdirat" => Kind.Mkdir,
        "write" or "writev" or "pwrite64" or "pwritev" or "pwritev2" => Kind.Write,
        "read" or "readv" or "pread64" or "preadv" or "preadv2" => Kind.Read,
        "ftruncate" => Kind.Ftruncate,
        "close" => Kind.Close,
        "dup" or "dup2" or "dup3" or "fcntl" or "fcntl64" => Kind.Dup,
        "close_range" => Kind.CloseRange,
        "execve" or "execveat" => Kind.Exec,
        _ => Kind.None,
    };

    // An open remembers its descriptor whatever it names, so later calls through it are answered from the table; its
    // row is "truncate" when O_TRUNC emptied a file that existed (a creat too), else "open": a file the call created
    // had nothing to lose. A read-only open is an access, and a directory's open only a base for *at() calls: neither
    // is a row of its own.
    private string? Open(in Call call, string name, int fd, FilePatterns patterns, out string? path)
    {
        var flags = name switch
        {
            "open" => call.A1,
            "openat" => call.A2,
            "creat" => OCreat | OTrunc | 1,

            // openat2 keeps its flags in a struct behind a pointer; a file it created was opened for writing.
            _ => call.HasItem("CREATE"u8) ? OCreat | 1 : 0,
        };
        path = call.Resolve(null, last: true, name is "openat" or "openat2" ? call.A0 : AtFdcwd);
        if (path is null)
        {
            return null;
        }

        var directory = (flags & ODirectory) != 0 || call.LastItemIsDirectory;
        var writable = (flags & OAccessMode) != 0;
        var watched = !directory && patterns.IsWatched(path);
        call.Process.Set(fd, new OpenFile(path, watched, writable, (flags & OCloexec) != 0, partial: false)
        {
            DirectoryInode = directory ? call.LastItemInode : 0,
        });
        if (directory || !(writable || _options.ShowAccesses))
        {
            return null;
        }

        return writable && (flags & OTrunc) != 0 && !call.HasItem("CREATE"u8) ? "truncate" : "open";
    }

    // A write, read, ftruncate or close through a descriptor: its row carries the path the descriptor was opened as.
    // A descriptor opened before Vigil saw it is looked up in /proc, live and only with --audit_show_partial_fim_events.
    private string? Descriptor(Kind kind, ProcessFiles process, int pid, int fd, FilePatterns patterns, out string? path, out bool partial)
    {
        path = null;
        partial = false;
        OpenFile? file;
        if (kind == Kind.Close)
        {
            if (!process.Remove(fd, out file))
            {
                return null;
            }
        }
        else if (!process.TryGet(fd, out file))
        {
            if (!_options.ShowPartial)
            {
                return null;
            }

            // Remembered whatever /proc says, so a pipe or a socket is read once, not at each write.
            var live = _files.ReadLive(pid, fd);
            file = new OpenFile(live ?? string.Empty, live is not null && patterns.IsWatched(live), writable: kind is Kind.Write or Kind.Ftruncate, closeOnExec: false, partial: true);
            process.Set(fd, file);
        }

        if (!file.Watched)
        {
            return null;
        }

        path = file.Path;
        partial = file.Partial;
        switch (kind)
        {
            case Kind.Write when !file.Wrote:
                file.Wrote = true;
                return "write";
            case Kind.Read when _options.ShowAccesses && !file.Read:
                file.Read = true;
                return "read";
            case Kind.Ftruncate:
                return "truncate";
            case Kind.Close when file.Writable || file.Wrote || _options.ShowAccesses:
                return "close";
            default:
                return null;
        }
    }

    private static void Dup(ProcessFiles process, int oldFd, int newFd, bool closeOnExec)
    {
        if (process.TryGet(oldFd, out var file))
        {
            process.Set(newFd, file.Clone(closeOnExec));
        }
        else
        {
            process.Remove(newFd, out _);
        }
    }

    // symlink's UNKNOWN item is the target as written, which the kernel never resolved: relative to the link's directory.
    private static string? SymlinkTarget(in Call call, string link)
    {
        if (!call.TryGetItem("UNKNOWN"u8, last: false, out var raw))
        {
            return null;
        }

        return LinkTarget(AuditValue.DecodeText(raw), link);
    }

    /// <summary>A symlink's target as a path: relative to the link's directory unless absolute, as the kernel follows it.</summary>
    internal static string LinkTarget(string target, string link) =>
        target.StartsWith('/') || link.Length == 0
            ? target
            : System.IO.Path.GetFullPath(System.IO.Path.Join(System.IO.Path.GetDirectoryName(link), target));

    // osquery's id columns are text; a row's nine are nearly always 0 or the same few users.
    private static ColumnValue Id(ReadOnlySpan<byte> raw) =>
        raw.SequenceEqual("0"u8) ? RootId : ColumnValue.Of(Encoding.UTF8.GetString(raw));

    /// <summary>The id column of root, the value of most rows' nine ids.</summary>
    internal static ColumnValue RootId { get; } = ColumnValue.Of("0");

    private enum Kind
    {
        None,
        Open,
        Truncate,
        Link,
        Symlink,
        Rename,
        Unlink,
        Mkdir,
        Write,
        Read,
        Ftruncate,
        Close,
        Dup,
        CloseRange,
        Exec,
    }

    /// <summary>One syscall event being read: its arguments and its PATH items.</summary>
    private readonly ref struct Call
    {
        private readonly AuditEvent _event;
        private readonly OpenFiles _files;
        private readonly int _pid;

        public Call(AuditEvent auditEvent, ProcessFiles process, OpenFiles files, int pid, in SyscallFields syscall)
        {
            _event = auditEvent;
            _files = files;
            _pid = pid;
            Process = process;
            A0 = syscall.TryGetA0(out var a0) ? a0 : 0;
            A1 = syscall.TryGetA1(out var a1) ? a1 : 0;
            A2 = syscall.TryGetA2(out var a2) ? a2 : 0;
        }

        public ProcessFiles Process { get; }

        public ulong A0 { get; }

        public ulong A1 { get; }

        public ulong A2 { get; }

        /// <summary>The inode of the last PATH item that is not a PARENT; 0 when it has none.</summary>
        public ulong LastItemInode =>
            TryGetBody(null, last: true, out var body) && AuditFields.TryGetInt64(body, "inode"u8, out var inode) ? (ulong)inode : 0;

        /// <summary>Whether the last PATH item is a directory (its mode's type is 040000).</summary>
        public bool LastItemIsDirectory =>
            TryGetBody(null, last: true, out var body) && AuditFields.TryGet(body, "mode"u8, out var mode) && mode.StartsWith("040"u8);

        public bool HasItem(ReadOnlySpan<byte> nametype) => TryGetBody(nametype, last: false, out _);

        /// <summary>The name of the first (or last) PATH item of <paramref name="nametype"/> (null: any but PARENT), raw.</summary>
        public bool TryGetItem(ReadOnlySpan<byte> nametype, bool last, out ReadOnlySpan<byte> name)
        {
            name = default;
            return TryGetBody(nametype, last, out var body) && AuditFields.TryGet(body, "name"u8, out name) && !name.SequenceEqual("(null)"u8);
        }

        /// <summary>
        /// The absolute path of that item: as it is when absolute, else joined to the directory descriptor
        /// <paramref name="dirfd"/> names (the working directory for AT_FDCWD; a descriptor not seen opened is the open
        /// directory of the first PARENT item's inode, else read from /proc, live), with . and .. taken out. The kernel's PARENT item of a dirfd-relative name prints the working
        /// directory, not the descriptor's, so it is not used. Null when the item is missing or the directory unknown.
        /// </summary>
        public string? Resolve(ReadOnlySpan<byte> nametype, bool last, ulong dirfd)
        {
            if (!TryGetItem(nametype, last, out var raw))
            {
                return null;
            }

            var name = AuditValue.DecodeText(raw);
            if (name.StartsWith('/'))
            {
                return System.IO.Path.GetFullPath(name);
            }

            var fd = (int)(uint)dirfd;
            var directory = dirfd == AtFdcwd ? Process.Cwd
                : Process.TryGet(fd, out var file) ? file.Path
                : TryGetBody("PARENT"u8, last: false, out var parent) && AuditFields.TryGetInt64(parent, "inode"u8, out var inode)
                    && Process.FindDirectory((ulong)inode) is { } open ? open
                : _files.ReadLive(_pid, fd);
            return string.IsNullOrEmpty(directory) ? null : System.IO.Path.GetFullPath(System.IO.Path.Join(directory, name));
        }

        private bool TryGetBody(ReadOnlySpan<byte> nametype, bool last, out ReadOnlySpan<byte> found)
        {
            found = default;
            var any = false;
            for (var i = 0; i < _event.RecordCount; i++)
            {
                if (_event.GetRecordType(i) != RecordType.Path)
                {
                    continue;
                }

                var body = _event.GetBody(i);
                if (!AuditFields.TryGet(body, "nametype"u8, out var type)
                    || (nametype.IsEmpty ? type.SequenceEqual("PARENT"u8) : !type.SequenceEqual(nametype)))
                {
                    continue;
                }

                found = body;
                any = true;
                if (!last)
                {
                    return true;
                }
            }

            return any;
        }
    }
}
