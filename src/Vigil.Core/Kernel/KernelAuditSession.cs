using Vigil.KernelAbi;
using Vigil.Netlink;
using Vigil.Rules;

namespace Vigil.Kernel;

/// <summary>
/// Vigil's hold on the kernel audit subsystem for one run: a reading socket (unicast owner or multicast reader),
/// the settings and rules it installed, and the snapshot it restores on <see cref="Dispose"/>.
/// </summary>
public sealed class KernelAuditSession : IDisposable
{
    private const int ENoEnt = 2;
    private const int EExist = 17;

    private readonly AuditClient _control;
    private readonly List<byte[]> _addedRules = [];
    private readonly List<byte[]> _exclusions = [];
    private readonly List<byte[]> _fileRules = [];
    private readonly List<string> _notes = [];
    private KernelAuditOptions? _options;
    private bool _ownsPid;
    private bool _changedSettings;
    private bool _installedRules;
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

    /// <summary>Whether the reader was registered as the unicast receiver at start.</summary>
    public bool OwnsPid => _ownsPid;

    /// <summary>Plain sentences about decisions taken at start (immutable kernel, mode chosen, …).</summary>
    public IReadOnlyList<string> Notes => _notes;

    /// <summary>
    /// Captures the kernel state, opens the reader and, when allowed, configures audit and installs rules. A
    /// <paramref name="restoreTo"/> (saved by an earlier run that died) replaces the captured state as the one restored.
    /// </summary>
    public static KernelAuditSession Start(KernelAuditOptions options, AuditState? restoreTo = null) =>
        Open(restoreTo, session => session.Configure(options));

    /// <summary>
    /// Takes over the session an earlier image of this process passed on (<see cref="HandOver"/>): its reading socket,
    /// with the records queued on it meanwhile, and its rules. When the rules <paramref name="options"/> ask for are the
    /// ones in the kernel they stay as they are, so no event goes unreported; otherwise the old ones are deleted and the
    /// new ones installed, and a note says so. <paramref name="restoreTo"/> is the state saved at the first start.
    /// </summary>
    public static KernelAuditSession Resume(KernelAuditOptions options, AuditState restoreTo, KernelHandover handover) =>
        Open(restoreTo, session => session.Adopt(options, handover));

    private static KernelAuditSession Open(AuditState? restoreTo, Action<KernelAuditSession> configure)
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
            configure(session);
            AppDomain.CurrentDomain.ProcessExit += session.OnProcessExit;
            return session;
        }
        catch
        {
            session.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Ends this session without restoring anything, for the next image of this process (execve keeps the pid, so the
    /// rule excluding it still holds): the reading socket stays open and the rules stay in the kernel. Returns what
    /// <see cref="Resume"/> takes.
    /// </summary>
    public KernelHandover HandOver()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            throw new ObjectDisposedException(nameof(KernelAuditSession));
        }

        AppDomain.CurrentDomain.ProcessExit -= OnProcessExit;
        try
        {
            return new KernelHandover(Reader.DetachForExec(), [.. _addedRules]);
        }
        finally
        {
            Reader.Dispose();
            _control.Dispose();
        }
    }

    /// <summary>The unicast owner found at start when it is a live process other than this one, else 0.</summary>
    public static uint LiveOwner(in AuditStatus status) =>
        status.Pid != 0 && status.Pid != (uint)Environment.ProcessId && Directory.Exists($"/proc/{status.Pid}")
            ? status.Pid
            : 0;

    /// <summary>AUDIT_GET on the control socket (never the reader, whose replies would mix with records).</summary>
    public AuditStatus CurrentStatus() => _control.GetStatus();

    /// <summary>
    /// When Vigil configures audit: enables it again when someone set enabled to 0 and re-adds, in their order, the
    /// rules this session installed that someone deleted. Returns a sentence per repair; empty when all was in place.
    /// </summary>
    public List<string> RepairConfiguration(in AuditStatus status)
    {
        var repairs = new List<string>();
        if (_options is not { AllowConfig: true } || IsImmutable || status.Enabled == 2)
        {
            return repairs;
        }

        if (status.Enabled == 0)
        {
            _control.SetStatus(new AuditStatus { Mask = AuditStatusMask.Enabled, Enabled = 1 });
            repairs.Add("audit was disabled (enabled 0) by another process; enabled it again");
        }

        var present = _control.ListRuleData();
        var head = new List<byte[]>();
        var tail = new List<byte[]>();
        foreach (var rule in _addedRules)
        {
            if (Find(present, rule) is null)
            {
                (IsHeadRule(rule) ? head : tail).Add(rule);
            }
        }

        // An exclusion appended after Vigil's always rules would never match: the ones that belong at the head go
        // back there, in reverse so they read in their original order; the rest are appended in order.
        for (var i = head.Count - 1; i >= 0; i--)
        {
            var data = (byte[])head[i].Clone();
            AuditRule.SetPrepended(data, prepend: true);
            _control.AddRule(data);
        }

        foreach (var rule in tail)
        {
            _control.AddRule(rule);
        }

        var missing = head.Count + tail.Count;
        if (missing > 0)
        {
            repairs.Add($"{missing} of Vigil's {_addedRules.Count} audit rules were deleted by another process; added them again");
        }

        return repairs;
    }

    /// <summary>
    /// Makes <paramref name="rules"/> (never rules, as <see cref="KernelAuditOptions.ExclusionRules"/>) the exclusions
    /// in the kernel instead of the current ones, and returns what changed; null when this session installed no rules,
    /// so there is nothing to exclude from. A rule in both sets stays where it is; a new one is prepended, because
    /// the head of the exit list is the one place before Vigil's always rules that the kernel can insert at, and the
    /// always rules are never taken out, so no event goes unreported meanwhile. Only then are the rules no longer
    /// wanted deleted. When the kernel refuses a rule, those added so far are deleted again and the old set stays.
    /// </summary>
    public ExclusionChange? ReplaceExclusions(IReadOnlyList<AuditRule> rules)
    {
        if (!_installedRules)
        {
            return null;
        }

        var kept = new List<byte[]>();
        var fresh = new List<byte[]>();
        foreach (var rule in rules)
        {
            var data = rule.Encode();
            if (Find(_exclusions, data) is { } old)
            {
                if (Find(kept, old) is null)
                {
                    kept.Add(old);
                }
            }
            else if (Find(fresh, data) is null)
            {
                AuditRule.SetPrepended(data, prepend: true);
                fresh.Add(data);
            }
        }

        // In reverse, so the new rules read in their given order at the head of the list.
        var added = new List<byte[]>(fresh.Count);
        try
        {
            for (var i = fresh.Count - 1; i >= 0; i--)
            {
                _control.AddRule(fresh[i]);
                added.Add(fresh[i]);
            }
        }
        catch (AuditNetlinkException error)
        {
            foreach (var data in added)
            {
                _control.DeleteRule(data);
            }

            if (error.Errno == 0)
            {
                throw;
            }

            var refused = AuditRule.Decode(fresh[fresh.Count - 1 - added.Count]);
            refused.Prepend = false;
            throw new AuditNetlinkException($"AUDIT_ADD_RULE of exclusion rule '{refused.ToAuditctlText()}'", error.Errno);
        }

        _addedRules.AddRange(fresh);
        var stale = new List<byte[]>();
        foreach (var old in _exclusions)
        {
            if (Find(kept, old) is null)
            {
                stale.Add(old);
            }
        }

        _exclusions.Clear();
        _exclusions.AddRange(fresh);
        _exclusions.AddRange(kept);
        _exclusions.AddRange(stale);

        // Each rule leaves the books only once it left the kernel, so a failure here still deletes the rest on stop.
        foreach (var old in stale)
        {
            DeleteIfPresent(old);
            _exclusions.Remove(old);
            _addedRules.Remove(old);
        }

        return new ExclusionChange(_exclusions.Count, fresh.Count, stale.Count);
    }

    /// <summary>
    /// Makes <paramref name="roots"/> the directories process_file_events watches in the kernel, and returns how many
    /// rules were added and deleted; null when this session configures no file events. The rules of new directories are
    /// added before those of directories no longer watched are deleted, so a directory kept is watched throughout.
    /// </summary>
    public (int Added, int Removed)? ReplaceFileRoots(IReadOnlyList<string> roots)
    {
        if (_options is not { FileEvents: true } || !_installedRules)
        {
            return null;
        }

        var wanted = new List<byte[]>();
        foreach (var (rule, _) in FileRules(_options, roots))
        {
            wanted.Add(rule.Encode());
        }

        var added = 0;
        foreach (var data in wanted)
        {
            if (Find(_fileRules, data) is null)
            {
                _control.AddRule(data);
                _addedRules.Add(data);
                _fileRules.Add(data);
                added++;
            }
        }

        var stale = new List<byte[]>();
        foreach (var old in _fileRules)
        {
            if (Find(wanted, old) is null)
            {
                stale.Add(old);
            }
        }

        foreach (var old in stale)
        {
            DeleteIfPresent(old);
            _fileRules.Remove(old);
            _addedRules.Remove(old);
        }

        _options.FileRoots = roots;
        return (added, stale.Count);
    }

    // Rules that must precede Vigil's always rules: the ones added at the head, and the exclusions.
    private bool IsHeadRule(byte[] rule) =>
        AuditRule.IsPrepended(rule) || Find(_exclusions, rule) is not null;

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
        _options = options;
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

    // The socket decides unicast or multicast: the port a unicast one is bound to is still the audit pid's.
    private void Adopt(KernelAuditOptions options, KernelHandover handover)
    {
        _options = options;
        Reader = AuditClient.Adopt(handover.ReaderFd);
        _ownsPid = !Reader.IsMulticast;
        _addedRules.AddRange(handover.AddedRules);
        var now = _control.GetStatus();
        if (!KernelAuditDecision.Make(options, now, LiveOwner(now)).Configure)
        {
            return;
        }

        ApplySettings(options, now);
        var planned = PlannedRules(options);
        if (SameRules(planned, handover.AddedRules, _control.ListRuleData()))
        {
            _installedRules = planned.Count > 0;
            foreach (var (rule, role) in planned)
            {
                if (role == RuleRole.Exclusion)
                {
                    _exclusions.Add(Find(_addedRules, rule.Encode())!);
                }
                else if (role == RuleRole.File)
                {
                    _fileRules.Add(Find(_addedRules, rule.Encode())!);
                }
            }

            return;
        }

        foreach (var rule in handover.AddedRules)
        {
            DeleteIfPresent(rule);
            _addedRules.Remove(rule);
        }

        InstallRules(options);
        _notes.Add("the audit rules differ from the ones the previous executable installed; replaced them (events of the moment between may be missing)");
    }

    // Whether the kernel holds exactly the planned rules as the ones handed over; a planned custom rule that was
    // already loaded by someone else is not among them and stays someone else's.
    private static bool SameRules(List<(AuditRule Rule, RuleRole Role)> planned, IReadOnlyList<byte[]> handedOver, List<byte[]> present)
    {
        var matched = 0;
        foreach (var (rule, role) in planned)
        {
            var data = rule.Encode();
            if (Find(handedOver, data) is not null)
            {
                matched++;
            }
            else if (role != RuleRole.Custom || Find(present, data) is null)
            {
                return false;
            }
        }

        foreach (var rule in handedOver)
        {
            if (Find(present, rule) is null)
            {
                return false;
            }
        }

        return matched == handedOver.Count;
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
    // the kernel report Vigil's syscalls. Configured exclusions come next, before the always rules: the kernel takes
    // the first rule of the exit list that matches. Custom rules follow Vigil's, so a custom never rule cannot hide
    // what Vigil's tables need; a custom -A rule is prepended before the exclusion, which then still heads the list.
    private static List<(AuditRule Rule, RuleRole Role)> PlannedRules(KernelAuditOptions options)
    {
        var planned = new List<(AuditRule, RuleRole)>();
        var syscalls = options.Syscalls();
        if (syscalls.Count == 0 && !options.FileEvents && options.CustomRules.Count == 0)
        {
            return planned;
        }

        foreach (var rule in options.CustomRules)
        {
            if (rule.Prepend)
            {
                planned.Add((rule, RuleRole.Custom));
            }
        }

        planned.Add((AuditRule.ForProcessExclusion(SyscallTable.ArchX86_64, (uint)Environment.ProcessId, AuditRule.VigilKey), RuleRole.Own));
        foreach (var exclusion in options.ExclusionRules)
        {
            planned.Add((exclusion, RuleRole.Exclusion));
        }

        AddForBothArches(planned, syscalls, null, RuleRole.Own);
        planned.AddRange(DescriptorCopyRules(options));
        planned.AddRange(FileRules(options, options.FileRoots));

        foreach (var rule in options.CustomRules)
        {
            if (!rule.Prepend)
            {
                planned.Add((rule, RuleRole.Custom));
            }
        }

        return planned;
    }

    // One rule per fcntl command that copies a descriptor, on each arch's fcntl (and i386's fcntl64).
    private static List<(AuditRule Rule, RuleRole Role)> DescriptorCopyRules(KernelAuditOptions options)
    {
        var rules = new List<(AuditRule, RuleRole)>();
        foreach (var command in options.DescriptorCopyCommands())
        {
            foreach (var arch in (ReadOnlySpan<uint>)[SyscallTable.ArchX86_64, SyscallTable.ArchI386])
            {
                foreach (var name in KernelAuditOptions.FcntlSyscalls)
                {
                    if (SyscallTable.TryGetNumber(arch, name, out _))
                    {
                        rules.Add((AuditRule.ForArgument(arch, name, AuditField.Arg1, command, AuditRuleAction.Always).WithKey(AuditRule.VigilKey), RuleRole.Own));
                    }
                }
            }
        }

        return rules;
    }

    private static List<(AuditRule Rule, RuleRole Role)> FileRules(KernelAuditOptions options, IReadOnlyList<string> roots)
    {
        var rules = new List<(AuditRule, RuleRole)>();
        foreach (var root in roots)
        {
            AddForBothArches(rules, options.FileSyscalls(), root, RuleRole.File);
        }

        return rules;
    }

    // An always rule for the syscalls on b64, and on b32 for those it has; scoped to the tree under
    // directory when one is given.
    private static void AddForBothArches(List<(AuditRule Rule, RuleRole Role)> planned, IReadOnlyList<string> syscalls, string? directory, RuleRole role)
    {
        if (syscalls.Count == 0)
        {
            return;
        }

        planned.Add((AuditRule.ForSyscalls(SyscallTable.ArchX86_64, syscalls, AuditRule.VigilKey, directory), role));
        var i386 = new List<string>();
        var socketCalls = new List<int>();
        foreach (var name in syscalls)
        {
            if (SyscallTable.TryGetNumber(SyscallTable.ArchI386, name, out _))
            {
                i386.Add(name);
            }

            if (SocketCall.TryGetCall(name, out var call))
            {
                socketCalls.Add(call);
            }
        }

        if (i386.Count > 0)
        {
            planned.Add((AuditRule.ForSyscalls(SyscallTable.ArchI386, i386, AuditRule.VigilKey, directory), role));
        }

        // A 32-bit program may make its socket calls through socketcall (on i386 accept has no syscall of its own):
        // one rule per call on socketcall's first argument, so its other calls (send, recv…) stay out. Socket calls
        // name no path, so they never come with a directory.
        foreach (var call in socketCalls)
        {
            planned.Add((AuditRule.ForSocketCall(SyscallTable.ArchI386, call, AuditRuleAction.Always).WithKey(AuditRule.VigilKey), role));
        }
    }

    private void InstallRules(KernelAuditOptions options)
    {
        foreach (var (rule, role) in PlannedRules(options))
        {
            switch (role)
            {
                case RuleRole.Custom:
                    AddCustom(rule);
                    break;
                case RuleRole.Exclusion:
                    _exclusions.Add(Add(rule));
                    break;
                case RuleRole.File:
                    _fileRules.Add(Add(rule));
                    _installedRules = true;
                    break;
                default:
                    Add(rule);
                    _installedRules = true;
                    break;
            }
        }
    }

    // A custom rule already loaded (by auditd, say) stays and is not Vigil's to remove; other refusals name the rule.
    private void AddCustom(AuditRule rule)
    {
        try
        {
            Add(rule);
        }
        catch (AuditNetlinkException error) when (error.Errno == EExist)
        {
            _notes.Add($"custom rule already loaded, left as found: {rule.ToAuditctlText()}");
        }
        catch (AuditNetlinkException error)
        {
            throw new AuditNetlinkException($"AUDIT_ADD_RULE of custom rule '{rule.ToAuditctlText()}'", error.Errno);
        }
    }

    private byte[] Add(AuditRule rule)
    {
        var data = rule.Encode();
        _control.AddRule(data);
        _addedRules.Add(data);
        return data;
    }

    private static byte[]? Find(IReadOnlyList<byte[]> rules, byte[] rule)
    {
        foreach (var candidate in rules)
        {
            if (AuditRule.SameEncoding(candidate, rule))
            {
                return candidate;
            }
        }

        return null;
    }

    // Someone may have deleted it already (auditctl -D); the aim, its absence, holds either way.
    private void DeleteIfPresent(byte[] rule)
    {
        try
        {
            _control.DeleteRule(rule);
        }
        catch (AuditNetlinkException error) when (error.Errno == ENoEnt)
        {
        }
    }

    private enum RuleRole
    {
        /// <summary>From --audit_rules_file; left alone when someone else loaded it already.</summary>
        Custom,

        /// <summary>Vigil's exclusion of itself and its always rules.</summary>
        Own,

        /// <summary>A configured exclusion (never rule), replaceable on reload.</summary>
        Exclusion,

        /// <summary>A <c>-F dir=</c> rule of a watched directory of process_file_events, replaceable on reload.</summary>
        File,
    }
}
