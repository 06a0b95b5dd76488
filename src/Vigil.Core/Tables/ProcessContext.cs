using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Vigil.Events;
using Vigil.KernelAbi;
using Vigil.Records;

namespace Vigil.Tables;

/// <summary>
/// Vigil's own process tree, which process_events and socket_events read for a row's parent and cgroup columns
/// instead of a query over stored rows. It learns from the events themselves: an exec gives its pid's executable and
/// command line, a fork or clone (when audited) gives the child its caller's; live, a process it has not seen (one
/// started before Vigil, or forked unaudited) is read from /proc when it is provably the process of the event, and
/// the cgroup is read once per process. Nothing it says is a guess: an answer it cannot prove is empty.
/// Not thread-safe: the ingest thread owns it.
/// </summary>
public sealed class ProcessContext
{
    /// <summary>The most processes remembered at once.</summary>
    public const int MaxProcesses = 16384;

    /// <summary>The most characters of paths and command lines remembered at once (32 MiB of text).</summary>
    public const long MaxTextChars = 16L * 1024 * 1024;

    // CLONE_THREAD and CLONE_PARENT (include/uapi/linux/sched.h).
    private const ulong CloneThread = 0x10000;
    private const ulong CloneParent = 0x8000;

    // Audit times and /proc start times are both rounded (coarse clock, clock ticks); a pid is only taken again after
    // the kernel's cyclic allocator went round every other pid, which takes far longer than this.
    private const long SlackMilliseconds = 100;

    // How old an event may be for its pid to be still its process without a look at the start time.
    private const long FreshMilliseconds = 1000;

    // How often a live tree checks that its processes are still the ones it saw.
    private const long SweepMilliseconds = 2000;

    // A log file tells of no exits: a process not seen for this long is forgotten, as its pid may have been reused.
    private const long MaxAgeMilliseconds = 10 * 60 * 1000;

    private readonly IProcessSource? _live;
    private readonly CgroupIds? _cgroups;
    private readonly Func<long> _clock;
    private readonly Dictionary<int, Entry> _processes = [];
    private readonly HashSet<int> _alive = [];
    private readonly AuditEvent _pendingScratch = new();
    private long _textChars;
    private long _nextSweep;
    private long _latestEvent;
    private uint _learnedSerial;
    private long _learnedMilliseconds = -1;
    private readonly RepeatedText _tty = new();

    /// <summary>A tree that reads <paramref name="live"/> (null: log files, where /proc is another machine's or time's).</summary>
    public ProcessContext(IProcessSource? live, Func<long>? clockMilliseconds = null, CgroupIds? cgroups = null)
    {
        _live = live;
        _cgroups = cgroups;
        _clock = clockMilliseconds ?? (() => DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
        _nextSweep = _clock() + SweepMilliseconds;
    }

    /// <summary>Processes remembered now.</summary>
    public int Count => _processes.Count;

    /// <summary>The executable of the exec last learned, decoded once for the row and the tree.</summary>
    public string ExecPath { get; private set; } = string.Empty;

    /// <summary>The decoded paths of this context's thread, for the tables that learn through it to decode theirs with.</summary>
    public DecodedTexts Texts { get; } = new();

    /// <summary>The command line of the exec last learned for a row (<see cref="Learn(AuditEvent, string?, in SyscallFields)"/>).</summary>
    public string ExecCommandLine { get; private set; } = string.Empty;

    /// <summary>The tree of the live host, seeded with every process alive now.</summary>
    public static ProcessContext Live()
    {
        var context = new ProcessContext(ProcProcesses.Instance, cgroups: CgroupIds.Live());
        context.Seed();
        return context;
    }

    /// <summary>A tree for log files: it knows only what the records say.</summary>
    public static ProcessContext ForLogFiles() => new(null);

    /// <summary>Remembers every process alive now, as seen now.</summary>
    private void Seed()
    {
        if (_live is null)
        {
            return;
        }

        var now = _clock();
        foreach (var pid in _live.Pids())
        {
            if (_live.TryGetImage(pid, out var path, out var commandLine))
            {
                SetImage(pid, path, commandLine, null, now, 0);
            }
        }
    }

    /// <summary>Learns from <paramref name="auditEvent"/> unless it already did (each table of a router offers every event).</summary>
    public void Learn(AuditEvent auditEvent)
    {
        if (!IsLearned(auditEvent))
        {
            Learn(auditEvent, auditEvent.SyscallName);
        }
    }

    /// <summary>Learns from an event whose syscall's <paramref name="name"/> the caller found (null: none it knows).</summary>
    public void Learn(AuditEvent auditEvent, string? name)
    {
        if (name is "execve" or "execveat" or "fork" or "vfork" or "clone" or "clone3"
            && !IsLearned(auditEvent) && auditEvent.TryGetRecord(RecordType.Syscall, out var body))
        {
            var syscall = SyscallFields.Read(body);
            Learn(auditEvent, name, in syscall, forRow: false);
        }
    }

    /// <summary>
    /// Learns from an event whose SYSCALL the caller read: a successful exec sets <see cref="ExecPath"/> and
    /// <see cref="ExecCommandLine"/> and its pid's image, a fork or clone of a process gives the child its caller's.
    /// The table that builds rows of these events calls it once for each, so the exec columns are always this event's
    /// (two events of two machines' logs may share a serial and a time).
    /// </summary>
    public void Learn(AuditEvent auditEvent, string? name, in SyscallFields syscall) => Learn(auditEvent, name, in syscall, forRow: true);

    // An exec learned only for the tree keeps its arguments as they came (PendingCommandLine): most processes never
    // become the parent a row asks about, and joining every exec's arguments was nearly a quarter of the row thread of
    // a socket_events scan over a log file.
    private void Learn(AuditEvent auditEvent, string? name, in SyscallFields syscall, bool forRow)
    {
        _learnedSerial = auditEvent.Serial;
        _learnedMilliseconds = auditEvent.TimeMilliseconds;
        _latestEvent = Math.Max(_latestEvent, auditEvent.TimeMilliseconds);
        if (!syscall.Success.SequenceEqual("yes"u8) || !SyscallFields.TryParseInt64(syscall.Pid, out var pid))
        {
            return;
        }

        if (name is "execve" or "execveat")
        {
            ExecPath = syscall.HasExe ? Texts.Decode(syscall.Exe) : string.Empty;
            if (forRow)
            {
                ExecCommandLine = ExecveArguments.CommandLineOrTitle(auditEvent);
                SetImage((int)pid, ExecPath, ExecCommandLine, null, auditEvent.TimeMilliseconds, auditEvent.Serial);
            }
            else
            {
                SetImage((int)pid, ExecPath, null, PendingCommandLine.Keep(auditEvent), auditEvent.TimeMilliseconds, auditEvent.Serial);
            }
        }
        else if (TryGetCreated(name, in syscall, out var child, out _))
        {
            OnCreated((int)pid, child, auditEvent.TimeMilliseconds, auditEvent.Serial);
        }
    }

    /// <summary>
    /// Learns an exec a source other than audit reported (a BPF record): <paramref name="pid"/> runs
    /// <paramref name="path"/> with <paramref name="commandLine"/> from <paramref name="eventMilliseconds"/> on.
    /// </summary>
    public void LearnExec(int pid, string path, string commandLine, long eventMilliseconds)
    {
        _latestEvent = Math.Max(_latestEvent, eventMilliseconds);
        SetImage(pid, path, commandLine, null, eventMilliseconds, 0);
    }

    /// <summary>
    /// The new process of a successful fork, vfork, clone or clone3 and its parent as osquery reports them (a clone
    /// with CLONE_PARENT is a sibling of its caller); false for a thread, a failed call, other syscalls, and a clone3
    /// whose child cannot be told from a thread (its flags are behind a pointer: live, /proc tells, if the child is
    /// still there; a log file cannot).
    /// </summary>
    public bool TryGetCreated(string? name, in SyscallFields syscall, out int child, out long parent)
    {
        child = 0;
        parent = 0;
        if (name is not ("fork" or "vfork" or "clone" or "clone3")
            || !SyscallFields.TryParseInt64(syscall.Exit, out var exit) || exit <= 0
            || !SyscallFields.TryParseInt64(syscall.Pid, out var pid))
        {
            return false;
        }

        child = (int)exit;
        parent = pid;
        if (name == "clone")
        {
            if (!syscall.TryGetA0(out var flags) || (flags & CloneThread) != 0)
            {
                return false;
            }

            if ((flags & CloneParent) != 0 && SyscallFields.TryParseInt64(syscall.Ppid, out var ppid))
            {
                parent = ppid;
            }
        }
        else if (name == "clone3")
        {
            return _live is not null && !_live.IsThreadOf((int)pid, child) && _live.TryGetStart(child, out _);
        }

        return true;
    }

    /// <summary>
    /// The context of an event of <paramref name="pid"/> whose parent is <paramref name="ppid"/> at
    /// <paramref name="eventMilliseconds"/>: the parent's executable and command line, the process's cgroup and
    /// container; each '' when unknown.
    /// </summary>
    public void Describe(int pid, long ppid, long eventMilliseconds, out string parentPath, out string parentCommandLine, out string cgroup, out string containerId)
    {
        DescribeParent(ppid, eventMilliseconds, out parentPath, out parentCommandLine);
        GetCgroup(pid, eventMilliseconds, out cgroup, out containerId);
    }

    /// <summary>The path of the cgroup the BPF programs read as <paramref name="id"/>, and the container it names; each '' when unknown.</summary>
    public void DescribeCgroup(ulong id, out string cgroup, out string containerId)
    {
        (cgroup, containerId) = (string.Empty, string.Empty);
        _cgroups?.TryGet(id, out cgroup, out containerId);
    }

    /// <summary>The executable and command line of <paramref name="ppid"/> at <paramref name="eventMilliseconds"/>, each '' when unknown.</summary>
    public void DescribeParent(long ppid, long eventMilliseconds, out string parentPath, out string parentCommandLine)
    {
        _latestEvent = Math.Max(_latestEvent, eventMilliseconds);
        if (_live is not null && _clock() >= _nextSweep)
        {
            Sweep();
        }

        if (ppid is <= 0 or > int.MaxValue || !TryGetImage((int)ppid, eventMilliseconds, out parentPath, out parentCommandLine))
        {
            (parentPath, parentCommandLine) = (string.Empty, string.Empty);
        }
    }

    /// <summary>The record's tty as text, the same string for the same terminal so that a row costs no new one.</summary>
    public string Tty(ReadOnlySpan<byte> tty) => _tty.Of(tty);

    private bool IsLearned(AuditEvent auditEvent) =>
        auditEvent.Serial == _learnedSerial && auditEvent.TimeMilliseconds == _learnedMilliseconds;

    /// <summary>
    /// Sets a pid's image, its command line as text or <paramref name="pending"/>; <paramref name="newProcess"/> drops
    /// what was known of the pid's process before.
    /// </summary>
    private void SetImage(int pid, string path, string? commandLine, byte[]? pending, long seen, uint serial, bool newProcess = false)
    {
        MakeRoom();
        ref var entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_processes, pid, out _);
        _textChars += TextChars(path, commandLine, pending) - TextChars(entry.Path, entry.CommandLine, entry.PendingCommandLine);
        entry.Path = path;
        entry.CommandLine = commandLine;
        entry.PendingCommandLine = pending;
        entry.Seen = seen;
        entry.Serial = serial;
        entry.Gone = 0;
        if (newProcess)
        {
            entry.Cgroup = null;
            entry.ContainerId = null;
        }
    }

    // A child's own exec may come before its parent's fork record (the kernel logs a syscall when it returns); the
    // exec is then newer and stays. The cgroup is not copied: a runtime moves a container's first process into the
    // container's cgroup after the fork, so the child's own is read when asked for.
    private void OnCreated(int caller, int child, long seen, uint serial)
    {
        ref var existing = ref CollectionsMarshal.GetValueRefOrNullRef(_processes, child);
        if (!Unsafe.IsNullRef(ref existing) && existing.Seen >= seen && existing.Serial > serial)
        {
            return;
        }

        if (_processes.TryGetValue(caller, out var parent) && parent.Path is not null)
        {
            SetImage(child, parent.Path, parent.CommandLine, parent.PendingCommandLine, seen, serial, newProcess: true);
        }
        else
        {
            Forget(child);
        }
    }

    private bool TryGetImage(int pid, long eventMilliseconds, out string path, out string commandLine)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_processes, pid);
        if (!Unsafe.IsNullRef(ref entry) && entry.Path is not null)
        {
            if (entry.PendingCommandLine is { } pending)
            {
                entry.CommandLine = PendingCommandLine.Join(pending, _pendingScratch);
                entry.PendingCommandLine = null;
                _textChars += entry.CommandLine.Length - pending.Length;
            }

            (path, commandLine) = (entry.Path, entry.CommandLine!);
            return true;
        }

        // Read before the start time, so that the image is the one of the process whose start is checked.
        if (_live is null || !_live.TryGetImage(pid, out path, out commandLine)
            || !_live.TryGetStart(pid, out var start) || start > eventMilliseconds + SlackMilliseconds)
        {
            (path, commandLine) = (string.Empty, string.Empty);
            return false;
        }

        SetImage(pid, path, commandLine, null, eventMilliseconds, 0);
        return true;
    }

    private void GetCgroup(int pid, long eventMilliseconds, out string cgroup, out string containerId)
    {
        ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_processes, pid);
        if (!Unsafe.IsNullRef(ref entry) && entry.Cgroup is not null)
        {
            (cgroup, containerId) = (entry.Cgroup, entry.ContainerId!);
            return;
        }

        // Another process can have the pid of an event only after the kernel went round every other pid since, which
        // takes longer than a second; the start time is read only for an event older than that.
        (cgroup, containerId) = (string.Empty, string.Empty);
        if (_live?.ReadCgroup(pid) is not { } text
            || (_clock() - eventMilliseconds > FreshMilliseconds && (!_live.TryGetStart(pid, out var start) || start > eventMilliseconds + SlackMilliseconds)))
        {
            return;
        }

        (cgroup, containerId) = ProcessCgroup.Parse(text);
        if (Unsafe.IsNullRef(ref entry))
        {
            MakeRoom();
            entry = ref CollectionsMarshal.GetValueRefOrAddDefault(_processes, pid, out _);
            entry.Seen = eventMilliseconds;
        }

        entry.Cgroup = cgroup;
        entry.ContainerId = containerId;
    }

    // A pid that is another process now is forgotten at once; one with no process is kept until the events have
    // caught up with the time it was found gone, since rows of its children may still be on their way.
    // The pids alive are listed first, in one read of /proc, so that the many entries of processes that have exited
    // cost no open of their own.
    private void Sweep()
    {
        var now = _clock();
        _nextSweep = now + SweepMilliseconds;
        _alive.Clear();
        foreach (var pid in _live!.Pids())
        {
            _alive.Add(pid);
        }

        foreach (var pid in _processes.Keys)
        {
            ref var entry = ref CollectionsMarshal.GetValueRefOrNullRef(_processes, pid);
            if (_alive.Contains(pid) && _live.TryGetStart(pid, out var start))
            {
                if (start > entry.Seen + SlackMilliseconds)
                {
                    Forget(pid);
                }
            }
            else if (entry.Gone == 0)
            {
                entry.Gone = now;
            }
            else if (_latestEvent > entry.Gone)
            {
                Forget(pid);
            }
        }
    }

    private void MakeRoom()
    {
        if (_processes.Count < MaxProcesses && _textChars < MaxTextChars)
        {
            return;
        }

        if (_live is not null)
        {
            Sweep();
        }

        foreach (var (pid, entry) in _processes)
        {
            if (entry.Seen < _latestEvent - MaxAgeMilliseconds)
            {
                Forget(pid);
            }
        }

        // Still full of live processes: forgetting them all keeps the bound, and a live tree reads back from /proc the
        // ones asked for again.
        if (_processes.Count >= MaxProcesses || _textChars >= MaxTextChars)
        {
            _processes.Clear();
            _textChars = 0;
        }
    }

    private void Forget(int pid)
    {
        if (_processes.Remove(pid, out var entry))
        {
            _textChars -= TextChars(entry.Path, entry.CommandLine, entry.PendingCommandLine);
        }
    }

    // A kept command line counts a character a byte: about what its text will take.
    private static long TextChars(string? path, string? commandLine, byte[]? pending) =>
        (path?.Length ?? 0) + (commandLine?.Length ?? 0) + (pending?.Length ?? 0);

    /// <summary>
    /// One process: its image (null when only its cgroup is known; the command line then text or still pending), its
    /// cgroup (null until read).
    /// </summary>
    private record struct Entry(string? Path, string? CommandLine, byte[]? PendingCommandLine, string? Cgroup, string? ContainerId, long Seen, uint Serial, long Gone);
}
