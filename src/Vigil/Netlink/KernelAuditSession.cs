using Vigil.Records;

namespace Vigil.Netlink;

/// <summary>
/// Vigil's hold on the kernel audit subsystem for one run: a reading socket (unicast owner or multicast reader),
/// the settings and rules it installed, and the snapshot it restores on <see cref="Dispose"/>.
/// </summary>
public sealed class KernelAuditSession : IDisposable
{
    private readonly AuditClient _control;
    private readonly List<byte[]> _addedRules = [];
    private readonly List<string> _notes = [];
    private bool _ownsPid;
    private bool _changedSettings;
    private int _disposed;

    private KernelAuditSession(AuditClient control, AuditState snapshot)
    {
        _control = control;
        Snapshot = snapshot;
    }

    /// <summary>The socket records arrive on.</summary>
    public AuditClient Reader { get; private set; } = null!;

    /// <summary>Whether <see cref="Reader"/> is a multicast reader.</summary>
    public bool IsMulticast => Reader.IsMulticast;

    /// <summary>Whether the kernel is immutable (enabled 2), so nothing could be configured.</summary>
    public bool IsImmutable => Snapshot.Status.Enabled == 2;

    /// <summary>The kernel state found at start.</summary>
    public AuditState Snapshot { get; }

    /// <summary>Rules this session installed, as encoded; the exact set it deletes again.</summary>
    public IReadOnlyList<byte[]> AddedRules => _addedRules;

    /// <summary>Plain sentences about decisions taken at start (immutable kernel, mode chosen, …).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>
    /// Captures the kernel state, opens the reader and, when allowed, configures audit and installs rules. A
    /// <paramref name="restoreTo"/> (saved by an earlier run that died) replaces the captured state as the one restored.
    /// </summary>
    public static KernelAuditSession Start(KernelAuditOptions options, AuditState? restoreTo = null)
    {
        var control = AuditClient.OpenUnicast();
        KernelAuditSession session;
        try
        {
            session = new KernelAuditSession(control, restoreTo ?? AuditState.Capture(control));
        }
        catch
        {
            control.Dispose();
            throw;
        }

        try
        {
            session.Configure(options);
            AppDomain.CurrentDomain.ProcessExit += session.OnProcessExit;
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>The unicast owner found at start when it is a live process other than this one, else 0.</summary>
    public static uint LiveOwner(in AuditStatus status) =>
        status.Pid != 0 && status.Pid != (uint)Environment.ProcessId && Directory.Exists($"/proc/{status.Pid}")
            ? status.Pid
            : 0;

    /// <summary>Restores the snapshot and closes the sockets; safe to call more than once and from any thread.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            if (_addedRules.Count > 0 || _changedSettings || _ownsPid)
            {
                Snapshot.Restore(_control, _addedRules);
            }
        }
        finally
        {
            Reader?.Dispose();
            _control.Dispose();
        }
    }

    private void OnProcessExit(object? sender, EventArgs e) => Dispose();

    private void Configure(KernelAuditOptions options)
    {
        var status = Snapshot.Status;
        var decision = KernelAuditDecision.Make(options, status, LiveOwner(status));
        var multicast = decision.Multicast;
        _notes.AddRange(decision.Notes);
        Reader = multicast ? AuditClient.OpenMulticast() : AuditClient.OpenUnicast();
        Reader.SetReceiveBufferSize(options.ReceiveBufferBytes);
        if (!multicast)
        {
            // Only this socket may send SET pid: the kernel registers the sender's port as the unicast target.
            Reader.SetPid((uint)Environment.ProcessId);
            _ownsPid = true;
        }

        if (decision.Configure)
        {
            ApplySettings(options, status);
            InstallRules(options);
        }
    }

    private void ApplySettings(KernelAuditOptions options, in AuditStatus found)
    {
        var wanted = new AuditStatus
        {
            Mask = AuditStatusMask.Failure | AuditStatusMask.BacklogLimit | AuditStatusMask.BacklogWaitTime,
            Enabled = 1,
            Failure = 0,
            BacklogLimit = options.BacklogLimit,
            BacklogWaitTime = options.BacklogWaitTime,
        };
        if (found.Enabled == 0)
        {
            wanted.Mask |= AuditStatusMask.Enabled;
        }

        if (options.RateLimit is { } rate)
        {
            wanted.Mask |= AuditStatusMask.RateLimit;
            wanted.RateLimit = rate;
        }

        _changedSettings = true;
        _control.SetStatus(wanted);
    }

    // The exclusion of Vigil's own process goes first and is prepended, so no rule already present can make
    // the kernel report Vigil's syscalls. Configured exclusions are appended before the always rules: the kernel
    // takes the first rule of the exit list that matches.
    private void InstallRules(KernelAuditOptions options)
    {
        var syscalls = options.Syscalls();
        if (syscalls.Count == 0)
        {
            return;
        }

        Add(AuditRule.ForProcessExclusion(SyscallTable.ArchX86_64, (uint)Environment.ProcessId, AuditRule.VigilKey));
        foreach (var exclusion in options.ExclusionRules)
        {
            Add(exclusion);
        }

        Add(AuditRule.ForSyscalls(SyscallTable.ArchX86_64, syscalls, AuditRule.VigilKey));
        var i386 = new List<string>();
        foreach (var name in syscalls)
        {
            if (SyscallTable.TryGetNumber(SyscallTable.ArchI386, name, out _))
            {
                i386.Add(name);
            }
        }

        if (i386.Count > 0)
        {
            Add(AuditRule.ForSyscalls(SyscallTable.ArchI386, i386, AuditRule.VigilKey));
        }
    }

    private void Add(AuditRule rule)
    {
        var data = rule.Encode();
        _control.AddRule(data);
        _addedRules.Add(data);
    }
}
