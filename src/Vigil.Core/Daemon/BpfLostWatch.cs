using Vigil.Logging;

namespace Vigil.Daemon;

/// <summary>
/// Reports the records the BPF programs could not write because the ring buffer was full, counted in the kernel: a
/// warning per maintenance check in which the count rose, with the rise and the total, as <see cref="AuditLostWatch"/>
/// does for audit's lost counter.
/// </summary>
public sealed class BpfLostWatch(Func<long> readLost, IStatusLog status)
{
    private CounterRise _lost;

    /// <summary>Reads the count at unix time <paramref name="second"/> and warns when it rose; returns the rise.</summary>
    public long Check(long second)
    {
        var lost = readLost();
        var (rise, elapsed) = _lost.Next(lost, second);
        if (rise > 0)
        {
            status.Warning($"the BPF ring buffer lost {rise} records in the last {elapsed} s ({lost} in all); raise --bpf_perf_event_array_exp or exclude noisy executables (audit.exclude)");
        }

        return rise;
    }
}
