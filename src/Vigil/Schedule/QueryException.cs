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
}
