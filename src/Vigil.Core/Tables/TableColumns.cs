namespace Vigil.Tables;

/// <summary>
/// A table's columns as its class declares them, once each and in osquery's order: <see cref="Add"/> gives the
/// column's position in the table's rows, which the row builder writes to, and <see cref="Spec"/> the schema made of
/// them. A table declares its columns in static fields above its schema (static fields are initialised in the order
/// they are written); a column declared after the schema was made is refused, so the type fails to load.
/// </summary>
public sealed class TableColumns
{
    private readonly List<ColumnSpec> _columns = [];
    private bool _made;

    /// <summary>Declares the next column and returns its position in the table's rows.</summary>
    public int Add(string name, ColumnType type, string description, bool hidden = false, bool indexed = false)
    {
        if (_made)
        {
            throw new InvalidOperationException($"Column {name} is declared after its table's schema was made.");
        }

        _columns.Add(new ColumnSpec(name, type, description, hidden, indexed));
        return _columns.Count - 1;
    }

    /// <summary>The schema of the columns declared so far; no column can be declared after it.</summary>
    public TableSpec Spec(string name, string description, bool isEventTable, bool utility = false)
    {
        _made = true;
        return new TableSpec(name, description, isEventTable, [.. _columns], utility);
    }
}
