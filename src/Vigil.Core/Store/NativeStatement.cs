using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Vigil.Platform;
using Vigil.Tables;

namespace Vigil.Store;

/// <summary>A prepared statement on a raw sqlite3*, reused across executions; binds without boxing.</summary>
internal sealed unsafe class NativeStatement : IDisposable
{
    private const int ArenaBytes = 64 * 1024;

    private readonly IntPtr _db;
    private IntPtr _stmt;
    private byte[] _utf8 = [];

    // The texts of the row being bound, pinned and kept until the statement is reset, so SQLite reads them in place
    // (SQLITE_STATIC) instead of copying each value into memory of its own; one that does not fit is copied. SQLite
    // keeps a binding across a reset, so whoever binds text rebinds every parameter before the next step (the writer
    // binds whole rows).
    private byte[]? _arena;
    private int _arenaUsed;

    private NativeStatement(IntPtr db, IntPtr stmt)
    {
        _db = db;
        _stmt = stmt;
    }

    public IntPtr Handle => _stmt;

    /// <summary>Prepares one statement, or throws <see cref="StoreException"/> with SQLite's message.</summary>
    public static NativeStatement Prepare(IntPtr db, string sql)
    {
        var rc = TryPrepare(db, sql, out var statement);
        if (rc != SqliteNative.SQLITE_OK)
        {
            throw new StoreException(SqliteNative.ErrorMessage(db), SqliteNative.sqlite3_extended_errcode(db));
        }

        return statement!;
    }

    /// <summary>Prepares one statement; returns SQLite's result code.</summary>
    public static int TryPrepare(IntPtr db, string sql, out NativeStatement? statement)
    {
        var bytes = Encoding.UTF8.GetBytes(sql);
        fixed (byte* text = bytes)
        {
            var rc = SqliteNative.sqlite3_prepare_v2(db, text, bytes.Length, out var stmt, out _);
            statement = rc == SqliteNative.SQLITE_OK ? new NativeStatement(db, stmt) : null;
            if (rc != SqliteNative.SQLITE_OK && stmt != IntPtr.Zero)
            {
                SqliteNative.sqlite3_finalize(stmt);
            }

            return rc;
        }
    }

    /// <summary>Steps once: true when a row is ready, false when done; throws on an error.</summary>
    public bool Step()
    {
        var rc = SqliteNative.sqlite3_step(_stmt);
        if (rc == SqliteNative.SQLITE_ROW)
        {
            return true;
        }

        if (rc == SqliteNative.SQLITE_DONE)
        {
            return false;
        }

        var message = SqliteNative.ErrorMessage(_db);
        var code = SqliteNative.sqlite3_extended_errcode(_db);
        SqliteNative.sqlite3_reset(_stmt);
        throw new StoreException(message, code);
    }

    /// <summary>Makes the statement ready to run again; bindings are kept.</summary>
    public void Reset()
    {
        _arenaUsed = 0;
        SqliteNative.sqlite3_reset(_stmt);
    }

    public void Bind(int index, long value) => SqliteNative.sqlite3_bind_int64(_stmt, index, value);

    public void Bind(int index, string? value)
    {
        if (value is null)
        {
            SqliteNative.sqlite3_bind_null(_stmt, index);
            return;
        }

        // The database is UTF-8: binding UTF-16 made SQLite convert every text with a scalar loop, the insert's
        // hottest spot under perf. The runtime's vectorised encoder is much faster.
        var length = Encoding.UTF8.GetMaxByteCount(value.Length);
        _arena ??= GC.AllocateUninitializedArray<byte>(ArenaBytes, pinned: true);
        if (length <= ArenaBytes - _arenaUsed)
        {
            var used = Encoding.UTF8.GetBytes(value, _arena.AsSpan(_arenaUsed));
            var start = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_arena)) + _arenaUsed;
            SqliteNative.sqlite3_bind_text(_stmt, index, start, used, SqliteNative.Static);
            _arenaUsed += used;
            return;
        }

        if (length > _utf8.Length)
        {
            _utf8 = new byte[Math.Max(length, Math.Max(1024, _utf8.Length * 2))];
        }

        var written = Encoding.UTF8.GetBytes(value, _utf8);
        fixed (byte* text = _utf8)
        {
            SqliteNative.sqlite3_bind_text(_stmt, index, text, written, SqliteNative.Transient);
        }
    }

    public void Bind(int index, in ColumnValue value)
    {
        if (value.IsText)
        {
            Bind(index, value.Text);
        }
        else
        {
            Bind(index, value.Integer);
        }
    }

    public long ColumnInt64(int column) => SqliteNative.sqlite3_column_int64(_stmt, column);

    public string? ColumnText(int column)
    {
        var text = SqliteNative.sqlite3_column_text(_stmt, column);
        return text == null ? null : Encoding.UTF8.GetString(text, SqliteNative.sqlite3_column_bytes(_stmt, column));
    }

    public void Dispose()
    {
        if (_stmt != IntPtr.Zero)
        {
            SqliteNative.sqlite3_finalize(_stmt);
            _stmt = IntPtr.Zero;
        }
    }
}
