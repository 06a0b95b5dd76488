namespace Vigil.Schedule;

/// <summary>The result of one SQL statement: column names, rows of string values, and whether it read an event table.</summary>
/// <param name="Columns">Column names in the statement's order.</param>
/// <param name="Rows">Each row's values in column order; SQL NULL is given as the empty string, as osquery logs it.</param>
/// <param name="EventBased">True when the statement read an event table, so the scheduler logs new rows without a differential.</param>
public sealed record QueryRows(IReadOnlyList<string> Columns, IReadOnlyList<IReadOnlyList<string>> Rows, bool EventBased = false)
{
    /// <summary>The rows as name-ordered maps, the shape osquery diffs and logs.</summary>
    public List<ResultRow> ToResultRows()
    {
        var order = new ColumnOrder(Columns);
        var rows = new List<ResultRow>(Rows.Count);
        foreach (var values in Rows)
        {
            rows.Add(ResultRow.From(order, values));
        }

        return rows;
    }
}
