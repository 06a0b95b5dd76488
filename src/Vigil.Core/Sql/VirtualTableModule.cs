using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Text;
using Vigil.Platform;

namespace Vigil.Sql;

/// <summary>
/// The one sqlite3_module behind every Vigil table, with callbacks that forward to the managed
/// <see cref="VirtualTable"/> and <see cref="VirtualTableCursor"/> found through a GCHandle. Tables are eponymous-only
/// (xCreate is NULL): each exists under its module's name in every schema-less query, needs no CREATE VIRTUAL TABLE
/// (so it works on a read-only database) and never appears in sqlite_master. There is no xUpdate: tables are read-only.
/// No exception crosses into SQLite: each callback catches, reports the message through zErrMsg or the function
/// context, and returns SQLITE_ERROR.
/// </summary>
internal static unsafe class VirtualTableModule
{
    private const int SqliteNoMem = 7;

    private static readonly sqlite3_module* Module = CreateModule();

    /// <summary>Registers <paramref name="table"/> on <paramref name="db"/> under the table's name; SQLite frees the handle when the connection closes.</summary>
    public static void Register(IntPtr db, VirtualTable table)
    {
        var handle = GCHandle.Alloc(table);
        var name = Encoding.UTF8.GetBytes(table.Spec.Name + "\0");
        int rc;
        fixed (byte* zName = name)
        {
            rc = SqliteNative.sqlite3_create_module_v2(db, zName, Module, GCHandle.ToIntPtr(handle), &DestroyClientData);
        }

        if (rc != SqliteNative.SQLITE_OK)
        {
            // sqlite3_create_module_v2 calls the destructor itself when it fails, so the handle is already freed.
            throw new SqlException($"cannot register table {table.Spec.Name}: {SqliteNative.ErrorMessage(db)}");
        }
    }

    private static sqlite3_module* CreateModule()
    {
        // Lives as long as the process: SQLite keeps the pointer for every connection it was registered on.
        var module = (sqlite3_module*)NativeMemory.AllocZeroed((nuint)sizeof(sqlite3_module));
        module->iVersion = 1;
        module->xCreate = null;
        module->xConnect = &Connect;
        module->xBestIndex = &BestIndex;
        module->xDisconnect = &Disconnect;
        module->xDestroy = &Disconnect;
        module->xOpen = &Open;
        module->xClose = &Close;
        module->xFilter = &Filter;
        module->xNext = &Next;
        module->xEof = &Eof;
        module->xColumn = &Column;
        module->xRowid = &Rowid;
        return module;
    }

    [UnmanagedCallersOnly]
    private static void DestroyClientData(IntPtr clientData) => GCHandle.FromIntPtr(clientData).Free();

    [UnmanagedCallersOnly]
    private static int Connect(IntPtr db, IntPtr clientData, int argc, byte** argv, sqlite3_vtab** vtab, byte** error)
    {
        try
        {
            var table = (VirtualTable)GCHandle.FromIntPtr(clientData).Target!;
            var declaration = Encoding.UTF8.GetBytes(TableSchema.Declaration(table.Spec) + "\0");
            fixed (byte* sql = declaration)
            {
                var rc = SqliteNative.sqlite3_declare_vtab(db, sql);
                if (rc != SqliteNative.SQLITE_OK)
                {
                    *error = SqliteNative.AllocUtf8(SqliteNative.ErrorMessage(db));
                    return rc;
                }
            }

            var instance = (ManagedVtab*)SqliteNative.sqlite3_malloc(sizeof(ManagedVtab));
            if (instance == null)
            {
                return SqliteNoMem;
            }

            *instance = default;
            instance->Table = clientData;
            instance->Db = db;
            *vtab = &instance->Base;
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            *error = SqliteNative.AllocUtf8(e.Message);
            return SqliteNative.SQLITE_ERROR;
        }
    }

    [UnmanagedCallersOnly]
    private static int BestIndex(sqlite3_vtab* vtab, sqlite3_index_info* info)
    {
        try
        {
            TableOf(vtab).BestIndex(info);
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            return Fail(vtab, e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Disconnect(sqlite3_vtab* vtab)
    {
        SqliteNative.sqlite3_free(vtab);
        return SqliteNative.SQLITE_OK;
    }

    [UnmanagedCallersOnly]
    private static int Open(sqlite3_vtab* vtab, sqlite3_vtab_cursor** cursor)
    {
        try
        {
            var instance = (ManagedCursor*)SqliteNative.sqlite3_malloc(sizeof(ManagedCursor));
            if (instance == null)
            {
                return SqliteNoMem;
            }

            *instance = default;
            instance->Cursor = GCHandle.ToIntPtr(GCHandle.Alloc(TableOf(vtab).Open(((ManagedVtab*)vtab)->Db)));
            *cursor = &instance->Base;
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            return Fail(vtab, e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Close(sqlite3_vtab_cursor* cursor)
    {
        var handle = GCHandle.FromIntPtr(((ManagedCursor*)cursor)->Cursor);
        try
        {
            ((VirtualTableCursor)handle.Target!).Dispose();
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            return Fail(cursor->pVtab, e);
        }
        finally
        {
            handle.Free();
            SqliteNative.sqlite3_free(cursor);
        }
    }

    [UnmanagedCallersOnly]
    private static int Filter(sqlite3_vtab_cursor* cursor, int idxNum, byte* idxStr, int argc, IntPtr* argv)
    {
        try
        {
            CursorOf(cursor).Filter(SqliteNative.Utf8(idxStr), new ReadOnlySpan<IntPtr>(argv, argc));
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            return Fail(cursor->pVtab, e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Next(sqlite3_vtab_cursor* cursor)
    {
        try
        {
            CursorOf(cursor).Next();
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            return Fail(cursor->pVtab, e);
        }
    }

    [UnmanagedCallersOnly]
    private static int Eof(sqlite3_vtab_cursor* cursor)
    {
        try
        {
            return CursorOf(cursor).Eof ? 1 : 0;
        }
        catch (Exception)
        {
            // xEof has no error channel; ending the scan is the only safe answer.
            return 1;
        }
    }

    [UnmanagedCallersOnly]
    private static int Column(sqlite3_vtab_cursor* cursor, IntPtr context, int column)
    {
        try
        {
            CursorOf(cursor).Column(context, column);
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            var message = Encoding.UTF8.GetBytes(e.Message);
            fixed (byte* text = message)
            {
                SqliteNative.sqlite3_result_error(context, text, message.Length);
            }

            return SqliteNative.SQLITE_ERROR;
        }
    }

    [UnmanagedCallersOnly]
    private static int Rowid(sqlite3_vtab_cursor* cursor, long* rowid)
    {
        try
        {
            *rowid = CursorOf(cursor).Rowid;
            return SqliteNative.SQLITE_OK;
        }
        catch (Exception e)
        {
            return Fail(cursor->pVtab, e);
        }
    }

    private static VirtualTable TableOf(sqlite3_vtab* vtab) =>
        (VirtualTable)GCHandle.FromIntPtr(((ManagedVtab*)vtab)->Table).Target!;

    private static VirtualTableCursor CursorOf(sqlite3_vtab_cursor* cursor) =>
        (VirtualTableCursor)GCHandle.FromIntPtr(((ManagedCursor*)cursor)->Cursor).Target!;

    /// <summary>Hands the message to SQLite, which frees zErrMsg after copying it into the statement's error.</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int Fail(sqlite3_vtab* vtab, Exception e)
    {
        SqliteNative.sqlite3_free(vtab->zErrMsg);
        vtab->zErrMsg = SqliteNative.AllocUtf8(e.Message);
        return SqliteNative.SQLITE_ERROR;
    }

    /// <summary>A sqlite3_vtab followed by the GCHandle of its <see cref="VirtualTable"/> and the connection it lives on.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ManagedVtab
    {
        public sqlite3_vtab Base;
        public IntPtr Table;
        public IntPtr Db;
    }

    /// <summary>A sqlite3_vtab_cursor followed by the GCHandle of its <see cref="VirtualTableCursor"/>.</summary>
    [StructLayout(LayoutKind.Sequential)]
    private struct ManagedCursor
    {
        public sqlite3_vtab_cursor Base;
        public IntPtr Cursor;
    }
}
