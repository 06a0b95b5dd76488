using Vigil.Logging;

namespace Vigil.Daemon;

/// <summary>
/// <c>--watchdog_memory_limit</c>: osquery's watchdog restarts a worker that grows past its limit, losing whatever it
/// held; Vigil instead sheds the one thing that grows with load, the events read from the kernel and not yet stored,
/// counts them as dropped, and keeps running.
/// </summary>
public sealed class MemoryWatchdog(long limitBytes, Func<long> residentBytes, Func<int> shed, IStatusLog status)
{
    /// <summary>osquery's watchdog level 0 allows a worker 200 MB.</summary>
    public const long DefaultLimitMegabytes = 200;

    /// <summary>Times the limit was exceeded.</summary>
    public long Exceeded { get; private set; }

    /// <summary>Events shed in all.</summary>
    public long Shed { get; private set; }

    /// <summary>The limit in bytes for a flag value in MB (0 or less: the default).</summary>
    public static long LimitBytes(long megabytes) => (megabytes > 0 ? megabytes : DefaultLimitMegabytes) * 1024 * 1024;

    /// <summary>This process's resident set from /proc/self/statm (pages × page size).</summary>
    public static long ReadResidentBytes()
    {
        var fields = File.ReadAllText("/proc/self/statm").Split(' ');
        return long.Parse(fields[1], System.Globalization.CultureInfo.InvariantCulture) * Environment.SystemPageSize;
    }

    /// <summary>Sheds queued events when resident memory is above the limit; returns how many were dropped.</summary>
    public int Check()
    {
        var resident = residentBytes();
        if (resident <= limitBytes)
        {
            return 0;
        }

        var dropped = shed();
        Exceeded++;
        Shed += dropped;
        // The queue's arrays are garbage now; collect so the resident set actually falls back under the limit.
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        status.Warning($"memory {resident / (1024 * 1024)} MB is above --watchdog_memory_limit {limitBytes / (1024 * 1024)} MB: dropped {dropped} events read from the kernel and not yet stored");
        return dropped;
    }
}
