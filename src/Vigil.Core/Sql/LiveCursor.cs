using Vigil.Platform;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>A scan of a live table over the rows its first xFilter generated.</summary>
internal sealed unsafe class LiveCursor : VirtualTableCursor
{
    private readonly ILiveTable _table;
    private List<ColumnValue[]>? _rows;
    private int _position;

    public LiveCursor(ILiveTable table)
    {
        _table = table;
    }

    public override bool Eof => _rows is null || _position >= _rows.Count;

    public override long Rowid => _position;

    public override void Filter(string? plan, ReadOnlySpan<IntPtr> arguments)
    {
        _rows ??= [.. _table.Generate()];
        _position = 0;
    }

    public override void Next() => _position++;

    public override void Column(IntPtr context, int column)
    {
        var value = _rows![_position][column];
        if (!value.IsText)
        {
            SqliteNative.sqlite3_result_int64(context, value.Integer);
        }
        else if (value.Text is null)
        {
            SqliteNative.sqlite3_result_null(context);
        }
        else
        {
            fixed (char* text = value.Text)
            {
                SqliteNative.sqlite3_result_text16(context, text, value.Text.Length * sizeof(char), SqliteNative.Transient);
            }
        }
    }
}
