using System.Reflection;
using System.Runtime.InteropServices;

namespace Vigil.Store;

/// <summary>The parts of SQLite's C API (sqlite3.h) that Microsoft.Data.Sqlite does not expose, called on its own handle.</summary>
internal static unsafe partial class SqliteNative
{
    public const string Library = "e_sqlite3";

    public const int SQLITE_OK = 0;
    public const int SQLITE_ERROR = 1;
    public const int SQLITE_ROW = 100;
    public const int SQLITE_DONE = 101;

    public const int SQLITE_INTEGER = 1;
    public const int SQLITE_FLOAT = 2;
    public const int SQLITE_TEXT = 3;

    /// <summary>SQLITE_TRANSIENT: SQLite copies the buffer before the call returns.</summary>
    public static readonly IntPtr Transient = new(-1);

    /// <summary>SQLITE_STATIC: SQLite uses the bound bytes in place; they must stay put until the parameter is bound again or the statement finalized.</summary>
    public static readonly IntPtr Static = IntPtr.Zero;

    static SqliteNative()
    {
        // A sqlite3* may only be passed to the functions of the library copy that created it, and Microsoft.Data.Sqlite
        // creates it through SQLitePCLRaw's provider, whose [DllImport("e_sqlite3")] is resolved from that provider's
        // assembly (the package's runtimes/<rid>/native folder, listed in the app's deps.json). Loading our name through
        // the provider's assembly makes the runtime repeat exactly that resolution, so dlopen finds the same file and
        // hands back the same handle, whatever folder or single-file layout the app is deployed in. Only "e_sqlite3" is
        // answered here; anything else falls through to the default probing.
        var provider = typeof(SQLitePCL.SQLite3Provider_e_sqlite3).Assembly;
        NativeLibrary.SetDllImportResolver(typeof(SqliteNative).Assembly, (name, _, searchPath) =>
            name == Library ? NativeLibrary.Load(Library, provider, searchPath) : IntPtr.Zero);
    }

    /// <summary>Runs the static constructor, so the resolver is in place before another class's imports bind.</summary>
    public static void EnsureResolver()
    {
    }

    [LibraryImport(Library)]
    public static partial int sqlite3_prepare_v2(IntPtr db, byte* sql, int nByte, out IntPtr stmt, out byte* tail);

    [LibraryImport(Library)]
    public static partial int sqlite3_step(IntPtr stmt);

    [LibraryImport(Library)]
    public static partial int sqlite3_reset(IntPtr stmt);

    [LibraryImport(Library)]
    public static partial int sqlite3_clear_bindings(IntPtr stmt);

    [LibraryImport(Library)]
    public static partial int sqlite3_finalize(IntPtr stmt);

    [LibraryImport(Library)]
    public static partial int sqlite3_changes(IntPtr db);

    /// <summary>Non-zero when no transaction is open: SQLite ends one itself after SQLITE_FULL and some I/O errors.</summary>
    [LibraryImport(Library)]
    public static partial int sqlite3_get_autocommit(IntPtr db);

    [LibraryImport(Library)]
    public static partial byte* sqlite3_errmsg(IntPtr db);

    // The binds run once per stored cell: short, never blocking, never calling back into .NET (a static or transient
    // text only copies), so the GC transition is left out.
    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial int sqlite3_bind_int64(IntPtr stmt, int index, long value);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial int sqlite3_bind_text(IntPtr stmt, int index, byte* text, int nBytes, IntPtr destructor);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial int sqlite3_bind_null(IntPtr stmt, int index);

    [LibraryImport(Library)]
    public static partial int sqlite3_bind_value(IntPtr stmt, int index, IntPtr value);

    [LibraryImport(Library)]
    public static partial int sqlite3_column_count(IntPtr stmt);

    [LibraryImport(Library)]
    public static partial byte* sqlite3_column_name(IntPtr stmt, int column);

    [LibraryImport(Library)]
    public static partial long sqlite3_column_int64(IntPtr stmt, int column);

    // This and the next are called once per result cell: short, never blocking, never calling back into .NET, so the
    // GC transition is left out.
    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial byte* sqlite3_column_text(IntPtr stmt, int column);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial int sqlite3_column_bytes(IntPtr stmt, int column);

    [LibraryImport(Library)]
    public static partial IntPtr sqlite3_column_value(IntPtr stmt, int column);

    [LibraryImport(Library)]
    public static partial void* sqlite3_malloc(int size);

    [LibraryImport(Library)]
    public static partial void sqlite3_free(void* pointer);

    /// <summary>The connection's last error message (sqlite3_errmsg).</summary>
    public static string ErrorMessage(IntPtr db) => Utf8(sqlite3_errmsg(db)) ?? "unknown error";

    /// <summary>A NUL-terminated UTF-8 string from SQLite, or null.</summary>
    public static string? Utf8(byte* text) => text == null ? null : Marshal.PtrToStringUTF8((IntPtr)text);

    /// <summary>A copy of <paramref name="text"/> in memory from sqlite3_malloc, which SQLite may later sqlite3_free.</summary>
    public static byte* AllocUtf8(string text)
    {
        var length = System.Text.Encoding.UTF8.GetByteCount(text);
        var buffer = (byte*)sqlite3_malloc(length + 1);
        if (buffer != null)
        {
            System.Text.Encoding.UTF8.GetBytes(text, new Span<byte>(buffer, length));
            buffer[length] = 0;
        }

        return buffer;
    }
}
