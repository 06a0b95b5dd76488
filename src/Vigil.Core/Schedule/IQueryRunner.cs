using System.Diagnostics.CodeAnalysis;

namespace Vigil.Schedule;

/// <summary>The SQL engine as the scheduler, the decorators and config validation see it.</summary>
public interface IQueryRunner
{
    /// <summary>Runs one statement to completion.</summary>
    /// <exception cref="QueryException">The statement failed to prepare or to run.</exception>
    QueryRun Run(string sql);

    /// <summary>Runs a scheduled query; a runner may keep per-query state (events_optimize marks) under its name.</summary>
    /// <exception cref="QueryException">The statement failed to prepare or to run.</exception>
    QueryRun RunScheduled(ScheduledQuery query) => Run(query.Sql);

    /// <summary>Prepares a statement without running it; false with SQLite's message when it does not compile.</summary>
    bool Compiles(string sql, [NotNullWhen(false)] out string? error);
}
