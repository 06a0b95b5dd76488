using Vigil.Bpf;

namespace Vigil.Tables;

/// <summary>
/// Turns the records' CLOCK_BOOTTIME nanoseconds into Unix time. The offset between the two clocks is taken again
/// by <see cref="Refresh"/> (the collector's tick), so a stepped wall clock is followed within a tick.
/// </summary>
public sealed class BpfClock
{
    private long _bootToUnixNanoseconds;

    public BpfClock() => Refresh();

    /// <summary>A clock with a fixed offset, for tests.</summary>
    public BpfClock(long bootToUnixNanoseconds) => _bootToUnixNanoseconds = bootToUnixNanoseconds;

    /// <summary>Takes the offset between the wall clock and CLOCK_BOOTTIME now.</summary>
    public void Refresh()
    {
        var boot = BootTimeUptime.Instance.GetUptimeNanoseconds();
        var unix = (DateTimeOffset.UtcNow - DateTimeOffset.UnixEpoch).Ticks * 100;
        Volatile.Write(ref _bootToUnixNanoseconds, unix - boot);
    }

    /// <summary>The Unix time in seconds of a record's boot-time nanoseconds.</summary>
    public long UnixSeconds(ulong bootNanoseconds) => UnixMilliseconds(bootNanoseconds) / 1000;

    /// <summary>The Unix time in milliseconds of a CLOCK_BOOTTIME stamp.</summary>
    public long UnixMilliseconds(ulong bootNanoseconds) => ((long)bootNanoseconds + Volatile.Read(ref _bootToUnixNanoseconds)) / 1_000_000;

    /// <summary>Seconds since boot of a record's boot-time nanoseconds.</summary>
    public static long UptimeSeconds(ulong bootNanoseconds) => (long)(bootNanoseconds / 1_000_000_000);
}
