namespace Vigil.Tables;

/// <summary>
/// What osquery records of a scheduled query's runs (osquery's QueryPerformance, updated by
/// Config::recordQueryPerformance) and osquery_schedule shows: counts, totals and the last run's figures.
/// </summary>
public sealed record QueryPerformance
{
    /// <summary>A query that has not run: every figure 0.</summary>
    public static QueryPerformance None { get; } = new();

    public long Executions { get; init; }

    public long LastExecuted { get; init; }

    public long OutputSize { get; init; }

    public long WallTime { get; init; }

    public long WallTimeMs { get; init; }

    public long LastWallTimeMs { get; init; }

    public long UserTime { get; init; }

    public long LastUserTime { get; init; }

    public long SystemTime { get; init; }

    public long LastSystemTime { get; init; }

    public long AverageMemory { get; init; }

    public long LastMemory { get; init; }

    /// <summary>
    /// The figures after one more run, as osquery adds them: CPU times and the resident-memory growth count only when
    /// they rose (a run that used no measurable CPU keeps the last figures), memory as a running average of growths,
    /// wall time in whole seconds too (each run's milliseconds cut to seconds before adding).
    /// </summary>
    /// <param name="wallMilliseconds">The run's wall time.</param>
    /// <param name="outputBytes">The size of its rows (column names and values).</param>
    /// <param name="userMilliseconds">The process's user CPU time spent during the run.</param>
    /// <param name="systemMilliseconds">The process's system CPU time spent during the run.</param>
    /// <param name="memoryGrowth">How much the process's resident memory grew during the run (negative when it shrank).</param>
    /// <param name="finishedAt">Unix time of the run's end.</param>
    public QueryPerformance After(long wallMilliseconds, long outputBytes, long userMilliseconds, long systemMilliseconds, long memoryGrowth, long finishedAt)
    {
        var next = this with
        {
            LastWallTimeMs = wallMilliseconds,
            WallTimeMs = WallTimeMs + wallMilliseconds,
            WallTime = WallTime + (wallMilliseconds / 1000),
            OutputSize = OutputSize + outputBytes,
            Executions = Executions + 1,
            LastExecuted = finishedAt,
        };
        if (userMilliseconds > 0)
        {
            next = next with { UserTime = UserTime + userMilliseconds, LastUserTime = userMilliseconds };
        }

        if (systemMilliseconds > 0)
        {
            next = next with { SystemTime = SystemTime + systemMilliseconds, LastSystemTime = systemMilliseconds };
        }

        if (memoryGrowth > 0)
        {
            next = next with { AverageMemory = ((AverageMemory * Executions) + memoryGrowth) / (Executions + 1), LastMemory = memoryGrowth };
        }

        return next;
    }
}
