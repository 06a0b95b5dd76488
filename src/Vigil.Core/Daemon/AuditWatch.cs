using Vigil.Logging;
using Vigil.Pipeline;

namespace Vigil.Daemon;

/// <summary>
/// Notices what other processes do to the kernel audit state while the daemon runs and answers it: the unicast
/// receiver pid taken away is taken back with <c>--audit_persist</c> (else the loss is logged once and collection
/// stays off); audit disabled or Vigil's rules deleted are repaired when Vigil configures audit.
/// </summary>
public sealed class AuditWatch
{
    private readonly KernelCollector _collector;
    private readonly bool _persist;
    private readonly IStatusLog _status;
    private bool _owned = true;
    private bool _gaveUp;
    private string? _reportedError;

    /// <summary>Watches the session of <paramref name="collector"/>.</summary>
    public AuditWatch(KernelCollector collector, bool persist, IStatusLog status)
    {
        _collector = collector;
        _persist = persist;
        _status = status;
    }

    /// <summary>Times another process (or none, pid 0) was found holding the audit pid Vigil had registered.</summary>
    public long Takeovers { get; private set; }

    /// <summary>Repairs made to the enabled flag and to Vigil's rules.</summary>
    public long Repairs { get; private set; }

    /// <summary>Reads the audit status once and repairs what it may; throws <see cref="AuditNetlinkException"/> when the kernel cannot be asked.</summary>
    public void Check()
    {
        var session = _collector.Session;
        var status = session.CurrentStatus();
        if (session.OwnsPid && !_gaveUp)
        {
            CheckOwner(status.Pid);
        }

        foreach (var repair in session.RepairConfiguration(status))
        {
            Repairs++;
            _status.Warning(repair);
        }
    }

    private void CheckOwner(uint pid)
    {
        var self = (uint)Environment.ProcessId;
        if (pid == self)
        {
            if (!_owned)
            {
                _status.Info("Took the audit netlink socket back; collecting again");
            }

            _owned = true;
            _reportedError = null;
            return;
        }

        var holder = pid == 0 ? "no process (pid 0)" : $"pid {pid}";
        if (!_persist)
        {
            Takeovers++;
            _gaveUp = true;
            _status.Warning($"Lost the audit netlink socket to {holder}; not taking it back (--audit_persist=false), no more events are collected");
            return;
        }

        if (_owned)
        {
            Takeovers++;
            _owned = false;
            _status.Warning($"The audit netlink socket was taken by {holder}; taking it back (--audit_persist)");
        }

        if (_collector.RetakeError is { } error && error != _reportedError)
        {
            _reportedError = error;
            _status.Error($"Taking the audit netlink socket back failed: {error}");
        }

        _collector.RequestPidRetake();
    }
}
