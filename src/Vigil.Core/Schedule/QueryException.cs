namespace Vigil.Schedule;

/// <summary>A statement given to <see cref="IQueryRunner"/> failed; the message is the engine's.</summary>
public sealed class QueryException : Exception
{
    /// <summary>Creates the exception with the engine's message.</summary>
    public QueryException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with the engine's message and the underlying error.</summary>
    public QueryException(string message, Exception inner)
        : base(message, inner)
    {
    }

    /// <summary>Whether the watchdog stopped the statement (memory or time), which denylists a scheduled query.</summary>
    public bool Interrupted { get; init; }

    /// <summary>Whether the statement had read an event table when it failed.</summary>
    public bool EventBased { get; init; }
}
