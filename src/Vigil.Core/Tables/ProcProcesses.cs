using System.Globalization;
using System.Runtime.InteropServices;
using Vigil.Platform;

namespace Vigil.Tables;

/// <summary>The live processes as /proc shows them.</summary>
public sealed class ProcProcesses : IProcessSource
{
    /// <summary>_SC_CLK_TCK (bits/confname.h): the unit of /proc/PID/stat's times.</summary>
    private const int ScClkTck = 2;

    // The comm in /proc/PID/stat may hold ')' and spaces, so fields are counted after its last ')'; starttime is field
    // 22 of proc(5), the 20th after it.
    private const int StartTimeField = 19;

    private readonly long _bootMilliseconds;

    private ProcProcesses()
    {
        Libc.clock_gettime(Libc.CLOCK_BOOTTIME, out var sinceBoot);
        _bootMilliseconds = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() - (sinceBoot.tv_sec * 1000) - (sinceBoot.tv_nsec / 1_000_000);
    }

    public static ProcProcesses Instance { get; } = new();

    /// <summary>Clock ticks per second of /proc/PID/stat's times.</summary>
    public static long TicksPerSecond { get; } = Math.Max(1, (long)Libc.sysconf(ScClkTck));

    /// <inheritdoc/>
    public IEnumerable<int> Pids()
    {
        foreach (var directory in System.IO.Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                yield return pid;
            }
        }
    }

    /// <inheritdoc/>
    public bool TryGetStart(int pid, out long startMilliseconds)
    {
        startMilliseconds = 0;
        var stat = HostFacts.ReadText(Directory(pid) + "stat");
        var close = stat?.LastIndexOf(')') ?? -1;
        if (close < 0)
        {
            return false;
        }

        var field = 0;
        foreach (var range in stat.AsSpan(close + 2).Split(' '))
        {
            if (field++ == StartTimeField)
            {
                if (!long.TryParse(stat.AsSpan(close + 2)[range], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
                {
                    return false;
                }

                startMilliseconds = _bootMilliseconds + (ticks * 1000 / TicksPerSecond);
                return true;
            }
        }

        return false;
    }

    /// <inheritdoc/>
    public bool TryGetImage(int pid, out string path, out string commandLine)
    {
        var directory = Directory(pid);
        path = HostFacts.ReadLink(directory + "exe");
        commandLine = path.Length == 0 ? string.Empty : ProcessesTable.ReadCommandLine(directory + "cmdline");
        return path.Length > 0;
    }

    /// <inheritdoc/>
    // Most processes whose rows ask for their cgroup have exited already (a short /bin/true): kill(pid, 0) tells that
    // (ESRCH) without the failing lookup of the pid's /proc entry, which takes the kernel's slow path. Under the stress
    // generator nine opens in ten failed, and opens were 9% of the audit daemon's samples at 200 exec/s.
    public string? ReadCgroup(int pid) =>
        Libc.kill(pid, 0) != 0 && Marshal.GetLastPInvokeError() == Libc.ESRCH ? null : HostFacts.ReadText(Directory(pid) + "cgroup");

    /// <inheritdoc/>
    public bool IsThreadOf(int pid, int task) =>
        Libc.access(Directory(pid) + "task/" + task.ToString(CultureInfo.InvariantCulture), Libc.F_OK) == 0;

    private static string Directory(int pid) => "/proc/" + pid.ToString(CultureInfo.InvariantCulture) + "/";
}
