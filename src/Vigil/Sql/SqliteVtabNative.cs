using System.Runtime.InteropServices;
using Vigil.Store;

namespace Vigil.Sql;

/// <summary>The virtual-table and function-result parts of SQLite's C API, resolved like <see cref="SqliteNative"/>.</summary>
internal static unsafe partial class SqliteVtabNative
{
    static SqliteVtabNative()
    {
        SqliteNative.EnsureResolver();
    }

    [LibraryImport(SqliteNative.Library)]
    public static partial int sqlite3_create_module_v2(IntPtr db, byte* name, sqlite3_module* module, IntPtr clientData, delegate* unmanaged<IntPtr, void> destroy);

    [LibraryImport(SqliteNative.Library)]
    public static partial int sqlite3_declare_vtab(IntPtr db, byte* sql);

    // The sqlite3_result_* of a value are called once per cell: short, never blocking, never calling back into .NET,
    // so the GC transition is left out.
    [SuppressGCTransition]
    [LibraryImport(SqliteNative.Library)]
    public static partial void sqlite3_result_int64(IntPtr context, long value);

    [LibraryImport(SqliteNative.Library)]
    public static partial void sqlite3_result_text16(IntPtr context, char* text, int nBytes, IntPtr destructor);

    [SuppressGCTransition]
    [LibraryImport(SqliteNative.Library)]
    public static partial void sqlite3_result_text(IntPtr context, byte* text, int nBytes, IntPtr destructor);

    [SuppressGCTransition]
    [LibraryImport(SqliteNative.Library)]
    public static partial void sqlite3_result_null(IntPtr context);

    [LibraryImport(SqliteNative.Library)]
    public static partial void sqlite3_result_value(IntPtr context, IntPtr value);

    [LibraryImport(SqliteNative.Library)]
    public static partial void sqlite3_result_error(IntPtr context, byte* message, int nBytes);

    [LibraryImport(SqliteNative.Library)]
    public static partial int sqlite3_value_type(IntPtr value);

    [LibraryImport(SqliteNative.Library)]
    public static partial long sqlite3_value_int64(IntPtr value);

    [LibraryImport(SqliteNative.Library)]
    public static partial double sqlite3_value_double(IntPtr value);

    [LibraryImport(SqliteNative.Library)]
    public static partial byte* sqlite3_value_text(IntPtr value);

    [LibraryImport(SqliteNative.Library)]
    public static partial int sqlite3_value_bytes(IntPtr value);
}
