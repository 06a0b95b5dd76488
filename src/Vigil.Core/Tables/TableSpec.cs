namespace Vigil.Tables;

/// <summary>A table's schema as data, in osquery's column order.</summary>
public sealed class TableSpec
{
    public TableSpec(string name, string description, bool isEventTable, IReadOnlyList<ColumnSpec> columns, bool utility = false)
    {
        Name = name;
        Description = description;
        IsEventTable = isEventTable;
        Columns = columns;
        Utility = utility;
    }

    public string Name { get; }

    public string Description { get; }

    /// <summary>Event tables are backed by the store; the others are generated at query time.</summary>
    public bool IsEventTable { get; }

    public IReadOnlyList<ColumnSpec> Columns { get; }

    /// <summary>osquery's <c>attributes(utility=True)</c>: a table about the agent itself, which osquery registers as internal.</summary>
    public bool Utility { get; }

    /// <summary>The index of a column by name, or -1.</summary>
    public int IndexOf(string column)
    {
        for (var i = 0; i < Columns.Count; i++)
        {
            if (string.Equals(Columns[i].Name, column, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }
}
