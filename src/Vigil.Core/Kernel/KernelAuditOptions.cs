using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;

namespace Vigil.Kernel;

/// <summary>What a <see cref="KernelAuditSession"/> may change in the kernel and which syscalls it audits.</summary>
public sealed class KernelAuditOptions
{
    /// <summary>Whether Vigil may enable auditing, set backlog values and install its rules (osquery's audit_allow_config).</summary>
    public bool AllowConfig { get; set; }

    /// <summary>Unicast, multicast, or chosen from the kernel state.</summary>
    public AuditSocketType SocketType { get; set; } = AuditSocketType.Auto;

    /// <summary>Audit execve and execveat (process_events).</summary>
    public bool ProcessEvents { get; set; }

    /// <summary>Audit fork, vfork, clone and clone3 (process_events, osquery's audit_allow_fork_process_events).</summary>
    public bool ForkProcessEvents { get; set; }

    /// <summary>Audit kill, tkill and tgkill (process_events, osquery's audit_allow_kill_process_events).</summary>
    public bool KillProcessEvents { get; set; }

    /// <summary>Audit bind and connect (socket_events).</summary>
    public bool Sockets { get; set; }

    /// <summary>Audit accept and accept4 (socket_events, osquery's audit_allow_accept_socket_events).</summary>
    public bool AcceptSockets { get; set; }

    /// <summary>Audit for process_file_events (<c>--audit_allow_fim_events</c>): the roots' rules, and the descriptor rule when asked.</summary>
    public bool FileEvents { get; set; }

    /// <summary>
    /// The directories process_file_events watches (<see cref="FilePatterns.Roots"/>); each gets <c>-F dir=</c> rules
    /// on the path syscalls, so the kernel reports only activity under them. A config reload replaces them
    /// (<see cref="KernelAuditSession.ReplaceFileRoots"/>).
    /// </summary>
    public IReadOnlyList<string> FileRoots { get; set; } = [];

    /// <summary>Audit mkdir, mkdirat and rmdir under <see cref="FileRoots"/> too (<c>--audit_fim_show_directories</c>).</summary>
    public bool FileDirectories { get; set; }

    /// <summary>
    /// Audit the descriptor syscalls (write family, ftruncate, close, dup family, and exec, which closes close-on-exec
    /// descriptors) of every process for process_file_events (<c>--audit_fim_fd_events</c>): they carry no path, so
    /// no rule can scope them to <see cref="FileRoots"/>.
    /// </summary>
    public bool FileDescriptors { get; set; }

    /// <summary>With <see cref="FileDescriptors"/>, the read family too (<c>--audit_fim_show_accesses</c>).</summary>
    public bool FileReads { get; set; }

    /// <summary>backlog_limit to set; osquery uses 4096.</summary>
    public uint BacklogLimit { get; set; } = 4096;

    /// <summary>backlog_wait_time to set; 0 so audited tasks never wait for a slow reader.</summary>
    public uint BacklogWaitTime { get; set; }

    /// <summary>rate_limit to set, or null to leave it as found.</summary>
    public uint? RateLimit { get; set; }

    /// <summary>SO_RCVBUF for the reading socket at start.</summary>
    public int ReceiveBufferBytes { get; set; } = AuditClient.DefaultReceiveBufferBytes;

    /// <summary>The SO_RCVBUF the reading socket may double up to, one step per overflow (ENOBUFS).</summary>
    public int MaxReceiveBufferBytes { get; set; } = AuditClient.MaxReceiveBufferBytes;

    /// <summary>
    /// Rules from <c>--audit_rules_file</c>, installed after Vigil's own (prepended ones before Vigil's exclusion of
    /// itself) and removed on exit like them.
    /// </summary>
    public IReadOnlyList<AuditRule> CustomRules { get; set; } = [];

    /// <summary>
    /// <c>never,exit</c> rules installed after Vigil's own-process exclusion and before its <c>always</c> rules, so
    /// the kernel does not report what they match (the config's <c>audit.exclude</c>). A reload puts new ones at the
    /// head of the list instead (<see cref="KernelAuditSession.ReplaceExclusions"/>).
    /// </summary>
    public IReadOnlyList<AuditRule> ExclusionRules { get; set; } = [];

    /// <summary>The syscall names the options ask for, in a stable order.</summary>
    public IReadOnlyList<string> Syscalls()
    {
        var names = new List<string>();
        if (ProcessEvents)
        {
            names.Add("execve");
            names.Add("execveat");
        }

        if (ForkProcessEvents)
        {
            names.Add("fork");
            names.Add("vfork");
            names.Add("clone");
            names.Add("clone3");
        }

        if (KillProcessEvents)
        {
            names.Add("kill");
            names.Add("tkill");
            names.Add("tgkill");
        }

        if (Sockets)
        {
            names.Add("bind");
            names.Add("connect");
        }

        if (AcceptSockets)
        {
            names.Add("accept");
            names.Add("accept4");
        }

        if (FileEvents && FileDescriptors)
        {
            names.AddRange(DescriptorCalls);
            names.AddRange(["close_range", "dup", "dup2", "dup3"]);
            if (!ProcessEvents)
            {
                names.AddRange(["execve", "execveat"]);
            }

            if (FileReads)
            {
                names.AddRange(ReadCalls);
            }
        }

        return names;
    }

    /// <summary>The syscalls that name paths, which the <c>-F dir=</c> rules of <see cref="FileRoots"/> audit; empty without FIM.</summary>
    public IReadOnlyList<string> FileSyscalls()
    {
        if (!FileEvents)
        {
            return [];
        }

        List<string> names = [.. PathCalls];
        if (FileDirectories)
        {
            names.AddRange(DirectoryCalls);
        }

        return names;
    }

    /// <summary>The calls process_file_events reports that name paths (and no directory of their own).</summary>
    public static IReadOnlyList<string> PathCalls { get; } =
    [
        "open", "openat", "openat2", "creat", "truncate", "link", "linkat", "symlink", "symlinkat",
        "unlink", "unlinkat", "rename", "renameat", "renameat2",
    ];

    /// <summary>The calls that make and remove directories (<c>--audit_fim_show_directories</c>).</summary>
    public static IReadOnlyList<string> DirectoryCalls { get; } = ["mkdir", "mkdirat", "rmdir"];

    /// <summary>The descriptor calls whose write, truncate and close rows <c>--audit_fim_fd_events</c> gives.</summary>
    public static IReadOnlyList<string> DescriptorCalls { get; } = ["write", "writev", "pwrite64", "pwritev", "pwritev2", "ftruncate", "close"];

    /// <summary>The reads <c>--audit_fim_show_accesses</c> adds to them.</summary>
    public static IReadOnlyList<string> ReadCalls { get; } = ["read", "readv", "pread64", "preadv", "preadv2"];

    /// <summary>Whether <paramref name="name"/> is one of the calls process_file_events reports.</summary>
    public static bool IsFileCall(string name) =>
        PathCalls.Contains(name) || DirectoryCalls.Contains(name) || DescriptorCalls.Contains(name) || ReadCalls.Contains(name);

    /// <summary>
    /// The fcntl commands that copy a descriptor, with descriptor events: rules on fcntl's second argument audit them
    /// and none of fcntl's other commands. Empty otherwise.
    /// </summary>
    public IReadOnlyList<uint> DescriptorCopyCommands() =>
        FileEvents && FileDescriptors ? [FcntlCommand.DupFd, FcntlCommand.DupFdCloexec] : [];

    /// <summary>The names of fcntl (on i386 also fcntl64) that <see cref="DescriptorCopyCommands"/> apply to.</summary>
    public static IReadOnlyList<string> FcntlSyscalls { get; } = ["fcntl", "fcntl64"];

    /// <summary>Every syscall Vigil's rules audit, which an exclusion without syscalls of its own covers.</summary>
    public IReadOnlyList<string> ExcludableSyscalls() =>
        [.. Syscalls(), .. FileSyscalls(), .. DescriptorCopyCommands().Count > 0 ? FcntlSyscalls : []];
}
