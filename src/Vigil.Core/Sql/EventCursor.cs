using System.Globalization;
using System.Text;
using Vigil.Platform;
using Vigil.Store;

namespace Vigil.Sql;

/// <summary>A scan of an event table: a statement over its data table, stepped row by row; cells are handed over as SQLite values.</summary>
internal sealed unsafe class EventCursor : VirtualTableCursor
{
    private const int PaddedEidLength = 10;

    private readonly EventVirtualTable _table;
    private readonly IntPtr _db;
    private NativeStatement? _statement;
    private string? _sql;
    private bool _eof = true;

    public EventCursor(EventVirtualTable table, IntPtr db)
    {
        _table = table;
        _db = db;
    }

    public override bool Eof => _eof;

    public override long Rowid => _statement!.ColumnInt64(0);

    public override void Filter(string? plan, ReadOnlySpan<IntPtr> arguments)
    {
        var separator = plan?.IndexOf(';') ?? -1;
        var pushed = separator < 0 ? plan : plan![..separator];
        var read = separator < 0 ? null : new HashSet<string>(plan![(separator + 1)..].Split(',', StringSplitOptions.RemoveEmptyEntries), StringComparer.Ordinal);
        var terms = string.IsNullOrEmpty(pushed) ? [] : pushed.Split(',');
        var where = new StringBuilder();
        var bindings = new List<(IntPtr Value, long Eid)>(terms.Length);
        for (var i = 0; i < terms.Length; i++)
        {
            var split = terms[i].AsSpan().IndexOfAny('<', '=', '>');
            var column = terms[i][..split];
            var eid = 0L;
            if (column == StoredTable.EidColumn && _table.EidIsText && !TryPaddedEid(arguments[i], out eid))
            {
                // Not a 10-digit eid: left to SQLite, which re-checks every eid term.
                continue;
            }

            bindings.Add((column == StoredTable.EidColumn && _table.EidIsText ? IntPtr.Zero : arguments[i], eid));
            where.Append(where.Length == 0 ? string.Empty : " AND ")
                .Append(StoredTable.Quote(column)).Append(' ').Append(terms[i].AsSpan(split)).Append(" ?").Append(bindings.Count);
        }

        // A query that asks for a time range reads the whole buffer, as osquery's events_optimize allows.
        if (_table.AfterEid is { } after && !Array.Exists(terms, t => t.StartsWith(StoredTable.TimeColumn, StringComparison.Ordinal)))
        {
            bindings.Add((IntPtr.Zero, after));
            where.Append(where.Length == 0 ? string.Empty : " AND ").Append("eid > ?").Append(bindings.Count);
        }

        _table.NoteScan();
        if (!Prepare(_table.Stored.SelectSql(where.ToString(), read)))
        {
            _eof = true;
            return;
        }

        for (var i = 0; i < bindings.Count; i++)
        {
            if (bindings[i].Value == IntPtr.Zero)
            {
                _statement!.Bind(i + 1, bindings[i].Eid);
            }
            else
            {
                SqliteNative.sqlite3_bind_value(_statement!.Handle, i + 1, bindings[i].Value);
            }
        }

        Next();
    }

    public override void Next()
    {
        _eof = !_statement!.Step();
        if (!_eof)
        {
            _table.RowsRead++;
            _table.NoteRow(_statement.ColumnInt64(0));
        }
    }

    public override void Column(IntPtr context, int column)
    {
        if (column == _table.Stored.EidIndex && _table.EidIsText)
        {
            Span<char> eid = stackalloc char[20];
            _statement!.ColumnInt64(0).TryFormat(eid, out var length, "D10", CultureInfo.InvariantCulture);
            fixed (char* text = eid)
            {
                SqliteNative.sqlite3_result_text16(context, text, length * sizeof(char), SqliteNative.Transient);
            }

            return;
        }

        SqliteNative.sqlite3_result_value(context, SqliteNative.sqlite3_column_value(_statement!.Handle, column + 1));
    }

    public override void Dispose() => _statement?.Dispose();

    /// <summary>
    /// Reuses the statement when the plan is the same (xFilter runs once per outer row in a join), else prepares the
    /// new one. False when the store has no data table for this table (a daemon that never enabled it): no rows.
    /// </summary>
    private bool Prepare(string sql)
    {
        if (_statement is not null && sql == _sql)
        {
            _statement.Reset();
            SqliteNative.sqlite3_clear_bindings(_statement.Handle);
            return true;
        }

        _statement?.Dispose();
        _statement = null;
        _sql = sql;
        if (NativeStatement.TryPrepare(_db, sql, out _statement) == SqliteNative.SQLITE_OK)
        {
            return true;
        }

        var message = SqliteNative.ErrorMessage(_db);
        if (message.StartsWith("no such table: ", StringComparison.Ordinal))
        {
            _sql = null;
            return false;
        }

        throw new SqlException(message);
    }

    /// <summary>A TEXT eid argument of exactly 10 digits (where text order is number order), as a number.</summary>
    internal static bool TryPaddedEid(IntPtr value, out long eid)
    {
        eid = 0;
        if (SqliteNative.sqlite3_value_type(value) != SqliteNative.SQLITE_TEXT)
        {
            return false;
        }

        var text = SqliteNative.sqlite3_value_text(value);
        var digits = new ReadOnlySpan<byte>(text, SqliteNative.sqlite3_value_bytes(value));
        return digits.Length == PaddedEidLength && !digits.ContainsAnyExceptInRange((byte)'0', (byte)'9')
            && long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out eid);
    }
}
