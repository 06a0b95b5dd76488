using Vigil.Logging;

namespace Vigil.Daemon;

/// <summary>
/// Reports the records the kernel dropped, its <c>lost</c> counter, read on the control socket and not the reading
/// one: a warning per check in which the counter rose, with the rise and the new total. The daemon checks once per
/// maintenance interval, so a flood of losses costs one line a minute.
/// </summary>
public sealed class AuditLostWatch(Func<uint> readLost, IStatusLog status)
{
    private CounterRise _lost;

    /// <summary>Records lost in all since the first check.</summary>
    public long Lost { get; private set; }

    /// <summary>
    /// Reads the counter at unix time <paramref name="second"/> and warns when it rose since the previous check; the
    /// first check only takes the starting value. Returns the rise. A counter lower than before was reset
    /// (<c>auditctl --reset-lost</c>), so all it holds was lost since.
    /// </summary>
    public long Check(long second)
    {
        var lost = readLost();
        var (rise, elapsed) = _lost.Next(lost, second);
        if (rise == 0)
        {
            return 0;
        }

        Lost += rise;
        status.Warning($"kernel audit lost {rise} records in the last {elapsed} s (lost counter now {lost}); raise --audit_backlog_limit or exclude noisy executables (audit.exclude)");
        return rise;
    }
}
