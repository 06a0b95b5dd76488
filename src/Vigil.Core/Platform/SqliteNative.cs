using System.Reflection;
using System.Runtime.InteropServices;

namespace Vigil.Platform;

/// <summary>
/// Every call into e_sqlite3, the SQLite that Microsoft.Data.Sqlite ships: the parts of its C API (sqlite3.h) that
/// Microsoft.Data.Sqlite does not expose, called on its own handle, and the virtual-table structs below (layouts
/// checked by SqliteStructTests).
/// </summary>
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

    public const int SQLITE_DENY = 1;
    public const int SQLITE_LIMIT_LENGTH = 0;

    /// <summary>sqlite3_set_authorizer: <paramref name="callback"/> decides each action of each statement as it is prepared.</summary>
    [LibraryImport(Library)]
    public static partial int sqlite3_set_authorizer(IntPtr db, delegate* unmanaged<IntPtr, int, byte*, byte*, byte*, byte*, int> callback, IntPtr userData);

    /// <summary>sqlite3_progress_handler: <paramref name="callback"/> runs every <paramref name="instructions"/> VM steps; nonzero interrupts.</summary>
    [LibraryImport(Library)]
    public static partial void sqlite3_progress_handler(IntPtr db, int instructions, delegate* unmanaged<IntPtr, int> callback, IntPtr userData);

    /// <summary>sqlite3_interrupt: the statements running on <paramref name="db"/> stop at their next opcode with SQLITE_INTERRUPT; safe from another thread while the connection is open.</summary>
    [LibraryImport(Library)]
    public static partial void sqlite3_interrupt(IntPtr db);

    /// <summary>sqlite3_limit: sets a run-time limit, returning the previous one.</summary>
    [LibraryImport(Library)]
    public static partial int sqlite3_limit(IntPtr db, int id, int newValue);

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

    [LibraryImport(Library)]
    public static partial int sqlite3_extended_errcode(IntPtr db);

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

    // These are called once per result cell: short, never blocking, never calling back into .NET, so the GC transition
    // is left out.
    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial long sqlite3_column_int64(IntPtr stmt, int column);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial byte* sqlite3_column_text(IntPtr stmt, int column);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial int sqlite3_column_bytes(IntPtr stmt, int column);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial IntPtr sqlite3_column_value(IntPtr stmt, int column);

    [LibraryImport(Library)]
    public static partial void* sqlite3_malloc(int size);

    [LibraryImport(Library)]
    public static partial void sqlite3_free(void* pointer);

    [LibraryImport(Library)]
    public static partial int sqlite3_create_module_v2(IntPtr db, byte* name, sqlite3_module* module, IntPtr clientData, delegate* unmanaged<IntPtr, void> destroy);

    [LibraryImport(Library)]
    public static partial int sqlite3_create_function_v2(
        IntPtr db,
        byte* name,
        int arguments,
        int flags,
        IntPtr app,
        delegate* unmanaged<IntPtr, int, IntPtr*, void> function,
        delegate* unmanaged<IntPtr, int, IntPtr*, void> step,
        delegate* unmanaged<IntPtr, void> final,
        delegate* unmanaged<IntPtr, void> destroy);

    [LibraryImport(Library)]
    public static partial int sqlite3_declare_vtab(IntPtr db, byte* sql);

    // The sqlite3_result_* of a value are called once per cell: short, never blocking, never calling back into .NET,
    // so the GC transition is left out.
    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial void sqlite3_result_int64(IntPtr context, long value);

    [LibraryImport(Library)]
    public static partial void sqlite3_result_text16(IntPtr context, char* text, int nBytes, IntPtr destructor);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial void sqlite3_result_text(IntPtr context, byte* text, int nBytes, IntPtr destructor);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial void sqlite3_result_null(IntPtr context);

    [LibraryImport(Library)]
    public static partial void sqlite3_result_value(IntPtr context, IntPtr value);

    [LibraryImport(Library)]
    public static partial void sqlite3_result_error(IntPtr context, byte* message, int nBytes);

    // The shell reads each result cell through these (and the function arguments are read with them): short, never
    // blocking, never calling back into .NET, so the GC transition is left out.
    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial int sqlite3_value_type(IntPtr value);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial long sqlite3_value_int64(IntPtr value);

    [LibraryImport(Library)]
    public static partial double sqlite3_value_double(IntPtr value);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial byte* sqlite3_value_text(IntPtr value);

    [SuppressGCTransition]
    [LibraryImport(Library)]
    public static partial int sqlite3_value_bytes(IntPtr value);

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

// The virtual-table structs of sqlite3.h (SQLite 3.50), written once with SQLite's names and field order.

/// <summary>struct sqlite3_module (sqlite3.h): the callbacks of a virtual-table module, up to version 4.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_module
{
    public int iVersion;
    public delegate* unmanaged<IntPtr, IntPtr, int, byte**, sqlite3_vtab**, byte**, int> xCreate;
    public delegate* unmanaged<IntPtr, IntPtr, int, byte**, sqlite3_vtab**, byte**, int> xConnect;
    public delegate* unmanaged<sqlite3_vtab*, sqlite3_index_info*, int> xBestIndex;
    public delegate* unmanaged<sqlite3_vtab*, int> xDisconnect;
    public delegate* unmanaged<sqlite3_vtab*, int> xDestroy;
    public delegate* unmanaged<sqlite3_vtab*, sqlite3_vtab_cursor**, int> xOpen;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int> xClose;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int, byte*, int, IntPtr*, int> xFilter;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int> xNext;
    public delegate* unmanaged<sqlite3_vtab_cursor*, int> xEof;
    public delegate* unmanaged<sqlite3_vtab_cursor*, IntPtr, int, int> xColumn;
    public delegate* unmanaged<sqlite3_vtab_cursor*, long*, int> xRowid;
    public IntPtr xUpdate;
    public IntPtr xBegin;
    public IntPtr xSync;
    public IntPtr xCommit;
    public IntPtr xRollback;
    public IntPtr xFindFunction;
    public IntPtr xRename;
    public IntPtr xSavepoint;
    public IntPtr xRelease;
    public IntPtr xRollbackTo;
    public IntPtr xShadowName;
    public IntPtr xIntegrity;
}

/// <summary>struct sqlite3_vtab (sqlite3.h): the base every virtual table instance starts with.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_vtab
{
    public sqlite3_module* pModule;
    public int nRef;
    public byte* zErrMsg;
}

/// <summary>struct sqlite3_vtab_cursor (sqlite3.h): the base every cursor starts with.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_vtab_cursor
{
    public sqlite3_vtab* pVtab;
}

/// <summary>struct sqlite3_index_info (sqlite3.h): the planner's question to xBestIndex and its answer.</summary>
[StructLayout(LayoutKind.Sequential)]
internal unsafe struct sqlite3_index_info
{
    public const byte SQLITE_INDEX_CONSTRAINT_EQ = 2;
    public const byte SQLITE_INDEX_CONSTRAINT_GT = 4;
    public const byte SQLITE_INDEX_CONSTRAINT_LE = 8;
    public const byte SQLITE_INDEX_CONSTRAINT_LT = 16;
    public const byte SQLITE_INDEX_CONSTRAINT_GE = 32;
    public const int SQLITE_INDEX_SCAN_UNIQUE = 1;

    public int nConstraint;
    public sqlite3_index_constraint* aConstraint;
    public int nOrderBy;
    public sqlite3_index_orderby* aOrderBy;
    public sqlite3_index_constraint_usage* aConstraintUsage;
    public int idxNum;
    public byte* idxStr;
    public int needToFreeIdxStr;
    public int orderByConsumed;
    public double estimatedCost;
    public long estimatedRows;
    public int idxFlags;
    public ulong colUsed;
}

/// <summary>struct sqlite3_index_constraint (sqlite3.h): one WHERE term on a column of the virtual table.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sqlite3_index_constraint
{
    public int iColumn;
    public byte op;
    public byte usable;
    public int iTermOffset;
}

/// <summary>struct sqlite3_index_orderby (sqlite3.h): one ORDER BY term.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sqlite3_index_orderby
{
    public int iColumn;
    public byte desc;
}

/// <summary>struct sqlite3_index_constraint_usage (sqlite3.h): which xFilter argument carries a term, and whether SQLite may skip re-checking it.</summary>
[StructLayout(LayoutKind.Sequential)]
internal struct sqlite3_index_constraint_usage
{
    public int argvIndex;
    public byte omit;
}
