using System.Runtime.InteropServices;

namespace Vigil.Tables;

/// <summary>
/// Uptime from CLOCK_BOOTTIME, which counts time spent suspended as /proc/uptime and sysinfo(2) (osquery's
/// getUptime) do; CLOCK_MONOTONIC behind Environment.TickCount64 does not.
/// </summary>
public sealed partial class BootTimeUptime : IUptimeSource
{
    /// <summary>CLOCK_BOOTTIME (include/uapi/linux/time.h).</summary>
    private const int ClockBoottime = 7;

    public static BootTimeUptime Instance { get; } = new();

    private BootTimeUptime()
    {
    }

    public long GetUptimeSeconds() => clock_gettime(ClockBoottime, out var now) == 0 ? now.tv_sec : 0;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int clock_gettime(int clockid, out Timespec tp);

    /// <summary>struct timespec (include/uapi/linux/time_types.h, __kernel_timespec on 64-bit).</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long tv_sec;
        public long tv_nsec;
    }
}
