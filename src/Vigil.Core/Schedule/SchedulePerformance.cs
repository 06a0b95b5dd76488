using Vigil.Tables;

namespace Vigil.Schedule;

/// <summary>
/// The performance of each scheduled query by name, kept across config reloads as osquery keeps it: a query that stays
/// in the schedule keeps its counts. Written by the scheduler, read by osquery_schedule from any thread.
/// </summary>
public sealed class SchedulePerformance
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, QueryPerformance> _byName = new(StringComparer.Ordinal);

    /// <summary>The figures of <paramref name="name"/>; all 0 for a query that has not run.</summary>
    public QueryPerformance Of(string name)
    {
        lock (_gate)
        {
            return _byName.GetValueOrDefault(name, QueryPerformance.None);
        }
    }

    /// <summary>Adds one run of <paramref name="name"/> (see <see cref="QueryPerformance.After"/>).</summary>
    public void Record(string name, long wallMilliseconds, long outputBytes, long userMilliseconds, long systemMilliseconds, long memoryGrowth, long finishedAt)
    {
        lock (_gate)
        {
            _byName[name] = _byName.GetValueOrDefault(name, QueryPerformance.None)
                .After(wallMilliseconds, outputBytes, userMilliseconds, systemMilliseconds, memoryGrowth, finishedAt);
        }
    }
}
