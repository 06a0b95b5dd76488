namespace Vigil.Tables;

/// <summary>What <see cref="ProcessContext"/> reads of live processes: /proc on the host, a fake in tests.</summary>
public interface IProcessSource
{
    /// <summary>The pids of the processes alive now.</summary>
    IEnumerable<int> Pids();

    /// <summary>When the process now at <paramref name="pid"/> started, in UNIX milliseconds; false when there is none.</summary>
    bool TryGetStart(int pid, out long startMilliseconds);

    /// <summary>The executable and command line of the process now at <paramref name="pid"/>; false when it is gone or a kernel thread.</summary>
    bool TryGetImage(int pid, out string path, out string commandLine);

    /// <summary>The text of the process's cgroup file, or null when it is gone.</summary>
    string? ReadCgroup(int pid);

    /// <summary>Whether <paramref name="task"/> is a thread of the process <paramref name="pid"/> (and alive).</summary>
    bool IsThreadOf(int pid, int task);
}
