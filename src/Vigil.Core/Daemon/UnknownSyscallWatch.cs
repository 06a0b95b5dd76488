using Vigil.Events;
using Vigil.Logging;

namespace Vigil.Daemon;

/// <summary>
/// Reports the events of an architecture or syscall Vigil has no name for (<see cref="IngestCounters.UnknownArchEvents"/>,
/// <see cref="IngestCounters.UnknownSyscallEvents"/>): they make no row, so a warning per maintenance pass in which
/// more arrived says so. The counters start at 0 with the collector, so the first pass reports all it saw.
/// </summary>
public sealed class UnknownSyscallWatch(IngestCounters counters, IStatusLog status)
{
    private long _reported;

    /// <summary>Warns when more such events arrived since the previous check; returns how many.</summary>
    public long Check()
    {
        var total = Interlocked.Read(ref counters.UnknownArchEvents) + Interlocked.Read(ref counters.UnknownSyscallEvents);
        var rise = total - _reported;
        _reported = total;
        if (rise > 0 && counters.UnknownSyscallsLine() is { } line)
        {
            status.Warning(line);
        }

        return rise;
    }
}
