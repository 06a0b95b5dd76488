namespace Vigil.Tables;

/// <summary>The running schedule as osquery_schedule shows it (a daemon's scheduler; nothing in a plain shell).</summary>
public interface IScheduleSource
{
    /// <summary>Every scheduled query in the order the scheduler visits them.</summary>
    IReadOnlyList<ScheduleEntry> ScheduleEntries();
}

/// <summary>One scheduled query: its full name (pack queries included), SQL, configured interval, performance and whether it is denylisted.</summary>
public sealed record ScheduleEntry(string Name, string Query, ulong Interval, QueryPerformance Performance, bool Denylisted = false);
