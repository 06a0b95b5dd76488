using Vigil.Rules;

namespace Vigil.Tables;

/// <summary>
/// What process_file_events knows of each process's file descriptors: the path each names, learned from the opens the
/// kernel reported, so that a write, read or close (which carry only a number) can be given its path. Bounded: at most
/// <see cref="MaxProcesses"/> processes and <see cref="MaxDescriptors"/> descriptors each. A process is forgotten when
/// it is gone (live: its /proc entry, checked every <see cref="SweepMilliseconds"/> of event time, once none of its events
/// came for as long) or, in a log file,
/// which tells of no exits, when it was not seen for <see cref="IdleMilliseconds"/> of the log's time.
/// Not thread-safe: the ingest thread owns it.
/// </summary>
public sealed class OpenFiles
{
    public const int MaxProcesses = 4096;

    public const int MaxDescriptors = 1024;

    public const long SweepMilliseconds = 2000;

    public const long IdleMilliseconds = 10 * 60 * 1000;

    private readonly Dictionary<int, ProcessFiles> _processes = [];
    private readonly IOpenFileSource? _live;
    private readonly List<int> _gone = [];
    private long _lastSweep;

    /// <summary>Descriptors of the live host (<paramref name="live"/>) or of log files (null).</summary>
    public OpenFiles(IOpenFileSource? live)
    {
        _live = live;
    }

    /// <summary>Processes remembered now.</summary>
    public int Count => _processes.Count;

    /// <summary>
    /// The descriptors of <paramref name="pid"/>, made when first seen: a copy of its parent's when the parent is known,
    /// since a child starts with its parent's descriptors (forks are not audited, so the copy is made at the child's
    /// first reported call, from what the parent holds then). Without <paramref name="create"/> (a descriptor call,
    /// which every process makes) null for a process neither it nor its parent is known, so those cost no entry.
    /// </summary>
    public ProcessFiles? Get(int pid, int ppid, long eventMilliseconds, bool create)
    {
        Sweep(eventMilliseconds);
        if (!_processes.TryGetValue(pid, out var process))
        {
            if (!create && !_processes.ContainsKey(ppid))
            {
                return null;
            }

            if (_processes.Count >= MaxProcesses)
            {
                EvictIdlest();
            }

            process = _processes.TryGetValue(ppid, out var parent) ? parent.Fork() : new ProcessFiles();
            _processes[pid] = process;
        }

        process.LastSeen = eventMilliseconds;
        return process;
    }

    /// <summary>
    /// A rename of <paramref name="from"/> to <paramref name="to"/>: every descriptor of every process open on it, or
    /// on a file under it when it is a directory, names the new path from now on (the kernel follows the inode, not
    /// the name), watched as <paramref name="patterns"/> say of that path (a directory's descriptor never is).
    /// </summary>
    public void Renamed(string from, string to, FilePatterns patterns)
    {
        foreach (var process in _processes.Values)
        {
            process.Renamed(from, to, patterns);
        }
    }

    /// <summary>
    /// The path an open descriptor of a live process names now, from /proc; null in log files, when the process or
    /// descriptor is gone, or when it names no file (a pipe, a socket).
    /// </summary>
    public string? ReadLive(int pid, int fd)
    {
        var path = _live?.ReadDescriptor(pid, fd);
        return string.IsNullOrEmpty(path) || path[0] != '/' ? null : path;
    }

    private void Sweep(long now)
    {
        if (now - _lastSweep < SweepMilliseconds)
        {
            return;
        }

        _lastSweep = now;
        foreach (var (pid, process) in _processes)
        {
            // A live process gone from /proc may still have events queued behind the one being read (rm's unlinks of
            // a directory read after rm exited): it is forgotten once no event of it came for a sweep's time.
            if (_live is null ? now - process.LastSeen > IdleMilliseconds : now - process.LastSeen >= SweepMilliseconds && !_live.IsAlive(pid))
            {
                _gone.Add(pid);
            }
        }

        foreach (var pid in _gone)
        {
            _processes.Remove(pid);
        }

        _gone.Clear();
    }

    private void EvictIdlest()
    {
        var idlest = 0;
        var oldest = long.MaxValue;
        foreach (var (pid, process) in _processes)
        {
            if (process.LastSeen < oldest)
            {
                (idlest, oldest) = (pid, process.LastSeen);
            }
        }

        _processes.Remove(idlest);
    }
}

/// <summary>The open descriptors of one process that name files under (or near) the watched paths.</summary>
public sealed class ProcessFiles
{
    private readonly Dictionary<int, OpenFile> _descriptors = [];

    /// <summary>The working directory the process's last CWD record gave ('' until one did); descriptor calls carry none.</summary>
    public string Cwd { get; set; } = string.Empty;

    internal long LastSeen { get; set; }

    public bool TryGet(int fd, out OpenFile file) => _descriptors.TryGetValue(fd, out file!);

    /// <summary>Remembers <paramref name="file"/> as <paramref name="fd"/>, replacing what it named; ignored when full.</summary>
    public void Set(int fd, OpenFile file)
    {
        if (_descriptors.Count < OpenFiles.MaxDescriptors || _descriptors.ContainsKey(fd))
        {
            _descriptors[fd] = file;
        }
    }

    public bool Remove(int fd, out OpenFile file) => _descriptors.Remove(fd, out file!);

    /// <summary>
    /// The path of an open directory descriptor of inode <paramref name="inode"/>: the directory a dirfd-relative call
    /// named through a descriptor Vigil did not see made (<c>fcntl(F_DUPFD)</c>, as rm's fts does), found by the inode
    /// of the call's PARENT item. Null when none is open.
    /// </summary>
    public string? FindDirectory(ulong inode)
    {
        foreach (var file in _descriptors.Values)
        {
            if (file.DirectoryInode == inode)
            {
                return file.Path;
            }
        }

        return null;
    }

    /// <summary>
    /// close_range(2) of <paramref name="first"/> to <paramref name="last"/>: forgets those descriptors, or with
    /// CLOSE_RANGE_CLOEXEC (<paramref name="onExecOnly"/>) marks them to be closed by the next exec.
    /// </summary>
    public void CloseRange(uint first, uint last, bool onExecOnly)
    {
        foreach (var (fd, file) in _descriptors)
        {
            if ((uint)fd < first || (uint)fd > last)
            {
                continue;
            }

            if (onExecOnly)
            {
                file.CloseOnExec = true;
            }
            else
            {
                _descriptors.Remove(fd);
            }
        }
    }

    internal void Renamed(string from, string to, FilePatterns patterns)
    {
        foreach (var file in _descriptors.Values)
        {
            var under = file.Path.Length > from.Length && file.Path.StartsWith(from, StringComparison.Ordinal) && file.Path[from.Length] == '/';
            if (under || file.Path == from)
            {
                var path = under ? string.Concat(to, file.Path.AsSpan(from.Length)) : to;
                file.MoveTo(path, file.DirectoryInode == 0 && patterns.IsWatched(path));
            }
        }
    }

    /// <summary>Forgets the descriptors an exec closes (opened with O_CLOEXEC).</summary>
    public void CloseOnExec()
    {
        foreach (var (fd, file) in _descriptors)
        {
            if (file.CloseOnExec)
            {
                _descriptors.Remove(fd);
            }
        }
    }

    internal ProcessFiles Fork()
    {
        var child = new ProcessFiles { Cwd = Cwd };
        foreach (var (fd, file) in _descriptors)
        {
            child._descriptors[fd] = file.Clone(file.CloseOnExec);
        }

        return child;
    }
}

/// <summary>One open descriptor: the path it was opened as and what process_file_events already reported of it.</summary>
public sealed class OpenFile(string path, bool watched, bool writable, bool closeOnExec, bool partial)
{
    public string Path { get; private set; } = path;

    /// <summary>Whether the path is one file_paths asks for (an unwatched one is kept so its calls cost no lookup).</summary>
    public bool Watched { get; private set; } = watched;

    /// <summary>Opened for writing; its open and close are rows without <c>--audit_fim_show_accesses</c>.</summary>
    public bool Writable { get; } = writable;

    /// <summary>FD_CLOEXEC: an exec closes it (O_CLOEXEC at its open, a copy made with it, or close_range's flag).</summary>
    public bool CloseOnExec { get; set; } = closeOnExec;

    /// <summary>Learned from /proc at a later call instead of from its open (osquery's partial events).</summary>
    public bool Partial { get; } = partial;

    /// <summary>For a directory, its inode (from its open's PATH item); 0 for files.</summary>
    public ulong DirectoryInode { get; init; }

    /// <summary>A write row was made for it; later writes through it make none.</summary>
    public bool Wrote { get; set; }

    /// <summary>A read row was made for it; later reads through it make none.</summary>
    public bool Read { get; set; }

    /// <summary>
    /// The same file as another descriptor (a dup, or a child's copy), whose first write and read are rows again;
    /// <paramref name="closeOnExec"/> is the copy's own flag (a fork keeps it, a dup sets it as the call says).
    /// </summary>
    public OpenFile Clone(bool closeOnExec) => new(Path, Watched, Writable, closeOnExec, Partial) { DirectoryInode = DirectoryInode };

    /// <summary>Its file was renamed to <paramref name="path"/>: what was reported of it stays (each descriptor has its own).</summary>
    public void MoveTo(string path, bool watched) => (Path, Watched) = (path, watched);
}

/// <summary>What <see cref="OpenFiles"/> reads of live processes: /proc on the host, a fake in tests.</summary>
public interface IOpenFileSource
{
    /// <summary>The target of /proc/PID/fd/FD, or '' when it cannot be read.</summary>
    string ReadDescriptor(int pid, int fd);

    bool IsAlive(int pid);
}

/// <summary>The host's /proc.</summary>
public sealed class ProcOpenFiles : IOpenFileSource
{
    public static ProcOpenFiles Instance { get; } = new();

    public string ReadDescriptor(int pid, int fd) => HostFacts.ReadLink($"/proc/{pid}/fd/{fd}");

    public bool IsAlive(int pid) => Directory.Exists($"/proc/{pid}");
}
