namespace Vigil.Sql;

/// <summary>
/// One result row as osquery keeps it: a map from column name to string value, ordered by column name
/// (osquery's <c>Row</c> is a <c>std::map</c>, so its JSON and its comparisons follow that order). It is what the
/// scheduler diffs, saves and logs; it is made from a <see cref="QueryRow"/>, a row in the statement's own order, once.
/// </summary>
public sealed class ResultRow : IEquatable<ResultRow>, IComparable<ResultRow>
{
    private readonly KeyValuePair<string, string>[] _cells;

    private ResultRow(KeyValuePair<string, string>[] sortedCells) => _cells = sortedCells;

    /// <summary>The cells ordered by column name (ordinal).</summary>
    public ReadOnlySpan<KeyValuePair<string, string>> Cells => _cells;

    /// <summary>The number of columns.</summary>
    public int Count => _cells.Length;

    /// <summary>The value of a column, or null when the row has no such column.</summary>
    public string? this[string column]
    {
        get
        {
            int i = IndexOf(column);
            return i >= 0 ? _cells[i].Value : null;
        }
    }

    /// <summary>Builds a row from parallel column names and values; a repeated name keeps its last value, as assigning into a map does.</summary>
    public static ResultRow From(IReadOnlyList<string> columns, IReadOnlyList<string> values) => From(new ColumnOrder(columns), new QueryRow(values));

    /// <summary>
    /// Builds a row from a statement's row in the column list of <paramref name="order"/> (one order serves every row of a
    /// result), SQL NULL as the empty string; short values come from <paramref name="pool"/> when one is given.
    /// </summary>
    public static ResultRow From(ColumnOrder order, QueryRow row, ShortStringPool? pool = null) => new(order.Cells(row, pool));

    /// <summary>Builds a row from (column, value) pairs in any order; a repeated name keeps its last value.</summary>
    public static ResultRow From(IEnumerable<KeyValuePair<string, string>> cells)
    {
        var sorted = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var cell in cells)
        {
            sorted[cell.Key] = cell.Value;
        }

        return FromSorted(sorted);
    }

    private static ResultRow FromSorted(SortedDictionary<string, string> sorted)
    {
        var cells = new KeyValuePair<string, string>[sorted.Count];
        int i = 0;
        foreach (var cell in sorted)
        {
            cells[i++] = cell;
        }

        return new ResultRow(cells);
    }

    /// <summary>Orders rows as <c>std::map</c> comparison does: pair by pair (name, then value), a prefix first.</summary>
    public int CompareTo(ResultRow? other)
    {
        if (other is null)
        {
            return 1;
        }

        int n = Math.Min(_cells.Length, other._cells.Length);
        for (int i = 0; i < n; i++)
        {
            int c = string.CompareOrdinal(_cells[i].Key, other._cells[i].Key);
            if (c != 0)
            {
                return c;
            }

            c = string.CompareOrdinal(_cells[i].Value, other._cells[i].Value);
            if (c != 0)
            {
                return c;
            }
        }

        return _cells.Length.CompareTo(other._cells.Length);
    }

    /// <inheritdoc />
    public bool Equals(ResultRow? other) => other is not null && CompareTo(other) == 0;

    /// <inheritdoc />
    public override bool Equals(object? obj) => obj is ResultRow other && Equals(other);

    /// <inheritdoc />
    public override int GetHashCode()
    {
        var hash = new HashCode();
        foreach (var cell in _cells)
        {
            hash.Add(cell.Key, StringComparer.Ordinal);
            hash.Add(cell.Value, StringComparer.Ordinal);
        }

        return hash.ToHashCode();
    }

    private int IndexOf(string column)
    {
        int lo = 0;
        int hi = _cells.Length - 1;
        while (lo <= hi)
        {
            int mid = lo + ((hi - lo) >> 1);
            int c = string.CompareOrdinal(_cells[mid].Key, column);
            if (c == 0)
            {
                return mid;
            }

            if (c < 0)
            {
                lo = mid + 1;
            }
            else
            {
                hi = mid - 1;
            }
        }

        return -1;
    }
}
