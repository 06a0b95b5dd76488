using System.Text;
using Vigil.Bsm;

namespace Vigil.Tables;

/// <summary>
/// What a BSM trail tells of its processes as it is read, since its records name a process only by pid: the parent
/// of each fork's child and the path each process last executed, forgotten at its exit. A pid the trail has not shown
/// forking or executing has no parent (-1, as osquery says) and no path.
/// </summary>
public sealed class BsmProcessMap
{
    /// <summary>
    /// Pids remembered at most. A trail missing its exit records would otherwise grow the maps without end; at the
    /// bound they start again, so only processes older than the last 65,536 lose their parent and path.
    /// </summary>
    private const int MaxProcesses = 65536;

    private readonly Dictionary<uint, uint> _parents = [];
    private readonly Dictionary<uint, string> _paths = [];

    /// <summary>Notes a fork's child, a successful exec's path, or an exit.</summary>
    public void Observe(in BsmRecord record, BsmEventKind kind)
    {
        var pid = record.Subject.Pid;
        switch (kind)
        {
            case BsmEventKind.Fork when record.Subject.Present && record.ReturnError == 0 && record.Arg0 is { } child:
                Remember(_parents, (uint)child, pid);
                break;
            case BsmEventKind.Exec when record.Subject.Present && record.ReturnError == 0:
                Remember(_paths, pid, Encoding.UTF8.GetString(record.Path));
                break;
            case BsmEventKind.Exit when record.Subject.Present:
                _parents.Remove(pid);
                _paths.Remove(pid);
                break;
        }
    }

    /// <summary>The parent <paramref name="pid"/> was forked from, or -1.</summary>
    public long Parent(uint pid) => _parents.TryGetValue(pid, out var parent) ? parent : -1;

    /// <summary>The path <paramref name="pid"/> last executed, or "".</summary>
    public string Path(uint pid) => _paths.GetValueOrDefault(pid, string.Empty);

    private static void Remember<T>(Dictionary<uint, T> map, uint pid, T value)
    {
        if (map.Count == MaxProcesses && !map.ContainsKey(pid))
        {
            map.Clear();
        }

        map[pid] = value;
    }
}
