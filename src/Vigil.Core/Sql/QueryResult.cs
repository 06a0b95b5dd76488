namespace Vigil.Sql;

/// <summary>The rows of one statement kept as strings: column names, and per row the cells of its <see cref="QueryRow"/> (SQL NULL as null).</summary>
public sealed class QueryResult
{
    public QueryResult(IReadOnlyList<string> columns, IReadOnlyList<string?[]> rows)
    {
        Columns = columns;
        Rows = rows;
    }

    /// <summary>The column names, in the statement's order.</summary>
    public IReadOnlyList<string> Columns { get; }

    /// <summary>The rows; each value as SQLite's own text for it, or null for SQL NULL.</summary>
    public IReadOnlyList<string?[]> Rows { get; }
}
