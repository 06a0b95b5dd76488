namespace Vigil.Sql;

/// <summary>The rows of one statement: column names, and per row one string per column (SQL NULL as null).</summary>
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
