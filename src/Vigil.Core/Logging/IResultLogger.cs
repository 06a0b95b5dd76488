namespace Vigil.Logging;

/// <summary>Where the scheduler hands each run's log item.</summary>
public interface IResultLogger
{
    /// <summary>Logs the differential of a non-snapshot run.</summary>
    void LogResults(QueryLogItem item);

    /// <summary>Logs the rows of a snapshot run.</summary>
    void LogSnapshot(QueryLogItem item);
}
