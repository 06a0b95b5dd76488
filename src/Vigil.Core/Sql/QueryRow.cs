using System.Globalization;
using System.Text;
using System.Text.Unicode;
using Vigil.Platform;

namespace Vigil.Sql;

/// <summary>
/// One row of a statement in the statement's own column order (a repeated name kept twice), each cell as SQLite's own
/// text for the value (as osquery prints every value) or SQL NULL: read from the statement being stepped, or from
/// strings (a kept <see cref="QueryResult"/>). Valid only during the sink's call. The shell prints it as it is; the
/// scheduler makes it a <see cref="ResultRow"/>, osquery's name-ordered shape, which the result logs are written from.
/// </summary>
public readonly unsafe ref struct QueryRow
{
    // "-9223372036854775808"
    private const int MaxInt64Digits = 20;

    private readonly IntPtr _stmt;
    private readonly IReadOnlyList<string?>? _cells;

    /// <summary>A row of kept strings.</summary>
    public QueryRow(IReadOnlyList<string?> cells)
    {
        _cells = cells;
        Count = cells.Count;
    }

    internal QueryRow(IntPtr stmt, int count)
    {
        _stmt = stmt;
        Count = count;
    }

    /// <summary>The number of cells.</summary>
    public int Count { get; }

    /// <summary>The cell as a string, or null for SQL NULL; a short value comes from <paramref name="pool"/> when one is given.</summary>
    public string? GetString(int column, ShortStringPool? pool = null)
    {
        if (_cells is not null)
        {
            return _cells[column];
        }

        var text = SqliteNative.sqlite3_column_text(_stmt, column);
        if (text == null)
        {
            return null;
        }

        var utf8 = new ReadOnlySpan<byte>(text, SqliteNative.sqlite3_column_bytes(_stmt, column));
        return pool is null ? Encoding.UTF8.GetString(utf8) : pool.Get(utf8);
    }

    /// <summary>The bytes of every cell's text (UTF-16 characters for kept strings): what a row costs a budget.</summary>
    internal long ByteCount()
    {
        long bytes = 0;
        for (var i = 0; i < Count; i++)
        {
            bytes += _cells is not null ? _cells[i]?.Length ?? 0 : SqliteNative.sqlite3_column_bytes(_stmt, i);
        }

        return bytes;
    }

    /// <summary>
    /// The cell as UTF-8, false for SQL NULL: the bytes of <see cref="GetString"/>'s string (invalid UTF-8 from SQLite
    /// replaced as that decoding replaces it), encoded into <paramref name="scratch"/> (grown as needed) when they are
    /// not SQLite's own.
    /// </summary>
    public bool TryGetUtf8(int column, ref byte[] scratch, out ReadOnlySpan<byte> text)
    {
        switch (GetCell(column, ref scratch, out var integer, out text))
        {
            case QueryCell.Integer:
                Grow(ref scratch, MaxInt64Digits);
                integer.TryFormat(scratch, out var digits, default, CultureInfo.InvariantCulture);
                text = scratch.AsSpan(0, digits);
                return true;
            case QueryCell.Text:
                return true;
            default:
                return false;
        }
    }

    /// <summary>
    /// The cell as <see cref="TryGetUtf8"/> gives it, except that an integer of the statement is given as the number
    /// in <paramref name="integer"/>, for a writer that formats it where it goes.
    /// </summary>
    public QueryCell GetCell(int column, ref byte[] scratch, out long integer, out ReadOnlySpan<byte> text)
    {
        integer = 0;
        text = default;
        if (_cells is null)
        {
            // One look-up of the cell, then reads of the value: each sqlite3_column_* call looks the cell up again
            // (and takes and leaves the connection's mutex), which showed in the shell's profile. SQLite would print an
            // integer the same way as Vigil formats it, but only after converting the cell to text in place, which
            // took a tenth of the shell's main thread over a large result.
            var value = SqliteNative.sqlite3_column_value(_stmt, column);
            if (SqliteNative.sqlite3_value_type(value) == SqliteNative.SQLITE_INTEGER)
            {
                integer = SqliteNative.sqlite3_value_int64(value);
                return QueryCell.Integer;
            }

            var bytes = SqliteNative.sqlite3_value_text(value);
            if (bytes == null)
            {
                return QueryCell.Null;
            }

            text = new ReadOnlySpan<byte>(bytes, SqliteNative.sqlite3_value_bytes(value));
            if (Utf8.IsValid(text))
            {
                return QueryCell.Text;
            }
        }

        if (GetString(column) is not { } cell)
        {
            text = default;
            return QueryCell.Null;
        }

        Grow(ref scratch, Encoding.UTF8.GetMaxByteCount(cell.Length));
        text = scratch.AsSpan(0, Encoding.UTF8.GetBytes(cell, scratch));
        return QueryCell.Text;
    }

    private static void Grow(ref byte[] scratch, int length)
    {
        if (length > scratch.Length)
        {
            scratch = new byte[Math.Max(length, scratch.Length * 2)];
        }
    }
}

/// <summary>What <see cref="QueryRow.GetCell"/> found in a cell.</summary>
public enum QueryCell
{
    /// <summary>SQL NULL.</summary>
    Null,

    /// <summary>An integer of the statement.</summary>
    Integer,

    /// <summary>Text, or a value given as its text.</summary>
    Text,
}
