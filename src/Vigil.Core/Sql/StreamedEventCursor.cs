using System.Globalization;
using System.Text;
using Vigil.Pipeline;
using Vigil.Platform;
using Vigil.Store;
using Vigil.Tables;

namespace Vigil.Sql;

/// <summary>
/// A scan of an event table that reads its rows from the table's <see cref="IEventRowSource"/> as SQLite asks for
/// them: nothing is stored, so a full scan costs one pass over the source. Pushed-down terms on time, pid and eid skip
/// only the rows they surely reject (an integer or real argument; a 10-digit TEXT eid) and SQLite tests every term
/// again, so its comparison rules decide. A second xFilter on the same cursor (the inner side of a join, a correlated
/// subquery, an IN list) would cost a pass per call: the table's rows are then loaded into the store once, indexed,
/// and this cursor goes on as an <see cref="EventCursor"/>.
/// </summary>
internal sealed unsafe class StreamedEventCursor : VirtualTableCursor
{
    private readonly EventVirtualTable _table;
    private readonly IntPtr _db;
    private readonly List<Bound> _bounds = [];
    private IEventRowReader? _rows;
    private EventCursor? _stored;
    private long? _afterEid;
    private bool _filtered;
    private bool _eof = true;
    private ColumnText[] _texts = [];

    public StreamedEventCursor(EventVirtualTable table, IntPtr db)
    {
        _table = table;
        _db = db;
    }

    public override bool Eof => _stored?.Eof ?? _eof;

    public override long Rowid => _stored?.Rowid ?? _rows!.Eid;

    public override void Filter(string? plan, ReadOnlySpan<IntPtr> arguments)
    {
        if (_stored is null && _filtered)
        {
            _rows!.Dispose();
            _rows = null;
            _table.LoadRows();
            _stored = new EventCursor(_table, _db);
        }

        if (_stored is not null)
        {
            _stored.Filter(plan, arguments);
            return;
        }

        _filtered = true;
        _bounds.Clear();
        var separator = plan?.IndexOf(';') ?? -1;
        var pushed = separator < 0 ? plan : plan![..separator];
        var terms = string.IsNullOrEmpty(pushed) ? [] : pushed.Split(',');
        var timeTerm = false;
        for (var i = 0; i < terms.Length; i++)
        {
            var split = terms[i].AsSpan().IndexOfAny('<', '=', '>');
            var column = terms[i][..split];
            timeTerm |= column == StoredTable.TimeColumn;
            if (BoundOf(column, terms[i][split..], arguments[i]) is { } bound)
            {
                _bounds.Add(bound);
            }
        }

        // As the store's scan: a query that asks for a time range reads the whole buffer (events_optimize).
        _afterEid = timeTerm ? null : _table.AfterEid;
        _table.NoteScan();
        _rows = _table.OpenRows();
        Next();
    }

    public override void Next()
    {
        if (_stored is not null)
        {
            _stored.Next();
            return;
        }

        while (_rows!.MoveNext())
        {
            if (Passes(_rows.Current, _rows.Eid))
            {
                _table.RowsRead++;
                _table.NoteRow(_rows.Eid);
                _eof = false;
                return;
            }
        }

        _eof = true;
    }

    public override void Column(IntPtr context, int column)
    {
        if (_stored is not null)
        {
            _stored.Column(context, column);
            return;
        }

        if (column == _table.Stored.EidIndex)
        {
            if (_table.EidIsText)
            {
                Span<byte> eid = stackalloc byte[20];
                _rows!.Eid.TryFormat(eid, out var length, "D10", CultureInfo.InvariantCulture);
                fixed (byte* text = eid)
                {
                    SqliteNative.sqlite3_result_text(context, text, length, SqliteNative.Transient);
                }
            }
            else
            {
                SqliteNative.sqlite3_result_int64(context, _rows!.Eid);
            }

            return;
        }

        var value = _rows!.Current[column];
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
            ResultText(context, column, value.Text);
        }
    }

    public override void Dispose()
    {
        _rows?.Dispose();
        _stored?.Dispose();
    }

    /// <summary>
    /// The text as UTF-8, the database's encoding, so SQLite stores it as is (UTF-16 would be converted by SQLite's
    /// scalar loop when the result is read); encoded as the store's binding does, so the bytes are the same. A column's
    /// text is encoded again only when it is another string than the row before's: most cells repeat the one before
    /// (a path, a working directory, a syscall's name). Without a NUL inside, the text goes with its terminator, so that
    /// SQLite copies it once instead of growing its copy for the terminator when the text is read.
    /// </summary>
    private void ResultText(IntPtr context, int column, string text)
    {
        if (column >= _texts.Length)
        {
            Array.Resize(ref _texts, column + 1);
        }

        ref var kept = ref _texts[column];
        if (!ReferenceEquals(kept.Text, text))
        {
            var length = Encoding.UTF8.GetMaxByteCount(text.Length) + 1;
            if (kept.Utf8 is null || length > kept.Utf8.Length)
            {
                kept.Utf8 = new byte[Math.Max(length, (kept.Utf8?.Length ?? 0) * 2)];
            }

            kept.Length = Encoding.UTF8.GetBytes(text, kept.Utf8);
            kept.Utf8[kept.Length] = 0;
            kept.Terminated = !text.Contains('\0');
            kept.Text = text;
        }

        fixed (byte* bytes = kept.Utf8)
        {
            SqliteNative.sqlite3_result_text(context, bytes, kept.Terminated ? -1 : kept.Length, SqliteNative.Transient);
        }
    }

    private bool Passes(ReadOnlySpan<ColumnValue> row, long eid)
    {
        if (_afterEid is { } after && eid <= after)
        {
            return false;
        }

        foreach (var bound in _bounds)
        {
            long value;
            if (bound.Column == _table.Stored.EidIndex)
            {
                value = eid;
            }
            else if (!row[bound.Column].IsText)
            {
                value = row[bound.Column].Integer;
            }
            else
            {
                continue;
            }

            if (!bound.Admits(value))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>The bound a term puts on integer cells, or null when the argument's type leaves the comparison to SQLite.</summary>
    private Bound? BoundOf(string column, string op, IntPtr argument)
    {
        var index = column == StoredTable.EidColumn ? _table.Stored.EidIndex
            : column == StoredTable.TimeColumn ? _table.Stored.TimeIndex
            : _table.Stored.PidIndex;
        if (column == StoredTable.EidColumn && _table.EidIsText)
        {
            return EventCursor.TryPaddedEid(argument, out var eid) ? new Bound(index, op, eid, double.NaN) : null;
        }

        return SqliteNative.sqlite3_value_type(argument) switch
        {
            SqliteNative.SQLITE_INTEGER => new Bound(index, op, SqliteNative.sqlite3_value_int64(argument), double.NaN),
            SqliteNative.SQLITE_FLOAT => new Bound(index, op, 0, SqliteNative.sqlite3_value_double(argument)),
            _ => null,
        };
    }

    /// <summary>
    /// A term <c>column op argument</c>: an integer argument compares exactly, a real one as a double, which is exact
    /// for cells within ±2^53 (beyond, the cell is admitted and SQLite decides).
    /// </summary>
    private readonly record struct Bound(int Column, string Op, long Integer, double Real)
    {
        private const long ExactInDouble = 1L << 53;

        public bool Admits(long value)
        {
            if (!double.IsNaN(Real) && (value > ExactInDouble || value < -ExactInDouble))
            {
                return true;
            }

            var order = double.IsNaN(Real) ? value.CompareTo(Integer) : ((double)value).CompareTo(Real);
            return Op switch
            {
                "=" => order == 0,
                "<" => order < 0,
                "<=" => order <= 0,
                ">" => order > 0,
                _ => order >= 0,
            };
        }
    }

    /// <summary>The last text a column was given and its UTF-8 (Terminated: no NUL before the one that ends it).</summary>
    private struct ColumnText
    {
        public string? Text;
        public byte[]? Utf8;
        public int Length;
        public bool Terminated;
    }
}
