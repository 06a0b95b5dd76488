using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>
/// Uptime from CLOCK_BOOTTIME, which counts time spent suspended as /proc/uptime and sysinfo(2) (osquery's
/// getUptime) do; CLOCK_MONOTONIC behind Environment.TickCount64 does not.
/// </summary>
public sealed class BootTimeUptime : IUptimeSource
{
    public static BootTimeUptime Instance { get; } = new();

    private BootTimeUptime()
    {
    }

    public long GetUptimeSeconds() => Libc.clock_gettime(Libc.CLOCK_BOOTTIME, out var now) == 0 ? now.tv_sec : 0;

    /// <summary>CLOCK_BOOTTIME in nanoseconds, the clock of BPF's <c>bpf_ktime_get_boot_ns</c>.</summary>
    public long GetUptimeNanoseconds() => Libc.clock_gettime(Libc.CLOCK_BOOTTIME, out var now) == 0 ? (now.tv_sec * 1_000_000_000) + now.tv_nsec : 0;
}
