namespace Vigil.Sql;

/// <summary>
/// Where each cell of a <see cref="ResultRow"/> comes from in rows of one column list, worked out once for all of a
/// result's rows: the distinct names in ordinal order, each with the index of its last occurrence (a repeated name
/// keeps its last value, as assigning into a map does).
/// </summary>
public sealed class ColumnOrder
{
    private readonly string[] _names;
    private readonly int[] _sources;

    /// <summary>The order of rows whose values follow <paramref name="columns"/>.</summary>
    public ColumnOrder(IReadOnlyList<string> columns)
    {
        var last = new Dictionary<string, int>(columns.Count, StringComparer.Ordinal);
        for (var i = 0; i < columns.Count; i++)
        {
            last[columns[i]] = i;
        }

        _names = [.. last.Keys];
        Array.Sort(_names, StringComparer.Ordinal);
        _sources = new int[_names.Length];
        for (var i = 0; i < _names.Length; i++)
        {
            _sources[i] = last[_names[i]];
        }

        Columns = columns.Count;
    }

    /// <summary>The number of values a row must have.</summary>
    public int Columns { get; }

    /// <summary>
    /// The cells of one row, ordered by name, SQL NULL as the empty string (as osquery logs it); short values come from
    /// <paramref name="pool"/> when one is given. Throws <see cref="ArgumentException"/> when its length is not <see cref="Columns"/>.
    /// </summary>
    internal KeyValuePair<string, string>[] Cells(QueryRow row, ShortStringPool? pool)
    {
        if (row.Count != Columns)
        {
            throw new ArgumentException($"A row has {row.Count} values for {Columns} columns.", nameof(row));
        }

        var cells = new KeyValuePair<string, string>[_names.Length];
        for (var i = 0; i < cells.Length; i++)
        {
            cells[i] = new KeyValuePair<string, string>(_names[i], row.GetString(_sources[i], pool) ?? string.Empty);
        }

        return cells;
    }
}
