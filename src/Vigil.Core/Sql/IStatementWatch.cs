namespace Vigil.Sql;

/// <summary>
/// Something that watches statements from another thread and may stop them (the daemon's watchdog): an engine given
/// one (<see cref="SqlEngine.Watch"/>) runs each <see cref="SqlEngine.Execute(string, IQueryResultSink)"/> under it.
/// </summary>
public interface IStatementWatch
{
    /// <summary>
    /// Watches a statement from now until the result is disposed; <paramref name="interrupt"/> stops it. An untimed one
    /// (<paramref name="timed"/> false: SQL from a server, which has its own time budget) is stopped for memory only.
    /// </summary>
    IWatchedStatement Watch(Action interrupt, bool timed);
}

/// <summary>A statement under watch.</summary>
public interface IWatchedStatement : IDisposable
{
    /// <summary>Why the watch stopped it, or null.</summary>
    string? StopReason { get; }
}
