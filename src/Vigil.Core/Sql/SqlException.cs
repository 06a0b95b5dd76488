namespace Vigil.Sql;

/// <summary>A statement failed; the message is SQLite's own (e.g. "no such table: foo").</summary>
public sealed class SqlException : Exception
{
    public SqlException(string message)
        : base(message)
    {
    }

    /// <summary>Whether the engine's <see cref="IStatementWatch"/> stopped the statement.</summary>
    public bool Interrupted { get; init; }
}
